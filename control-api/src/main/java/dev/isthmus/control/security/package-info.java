/**
 * Who may use the control API: bearer tokens with a scope ({@link dev.isthmus.control.config.ApiTokens}, read
 * from the file {@code api.tokens-file} by {@link dev.isthmus.control.config.TokensFile}), client certificates
 * when the API requires them (mTLS), and the filter that checks every request
 * ({@link dev.isthmus.control.security.AccessFilter}): reads need {@code read}, changes need {@code write},
 * {@code /health} is open for load balancers.
 */
package dev.isthmus.control.security;

