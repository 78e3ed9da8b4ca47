/**
 * Test helpers shared by every module's tests through the native-bindings test jar: {@link
 * dev.isthmus.nativebindings.testing.Prerequisites}, the one place that decides whether a test that needs root or
 * a program runs, is skipped (outside CI) or fails (with {@code CI=true}), always saying why.
 */
package dev.isthmus.nativebindings.testing;
