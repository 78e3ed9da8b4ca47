/**
 * The live web dashboard at {@code /ui}: static HTML, CSS and JavaScript in the jar ({@code src/main/resources/ui},
 * no CDN) that poll the API and draw rates; this package only sends {@code /ui} to its page.
 */
package dev.isthmus.control.ui;
