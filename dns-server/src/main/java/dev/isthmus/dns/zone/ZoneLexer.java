package dev.isthmus.dns.zone;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits master-file text into entries (RFC 1035 §5.1): one entry per line, or per group of lines joined by
 * parentheses; {@code ;} starts a comment outside quotes; quoted strings keep their spaces; backslash escapes
 * are kept verbatim in the token for the RDATA parsers to decode. An entry whose line starts with blank space
 * has no owner (it repeats the previous one).
 */
final class ZoneLexer {

    /** One token; {@code quoted} tokens came from {@code "..."} and are never directives, owners or types. */
    record Token(String text, boolean quoted) {
    }

    /** One logical entry: its first line, whether the owner field was left blank, and its tokens. */
    record Entry(int line, boolean ownerOmitted, List<Token> tokens) {
    }

    /** Thrown for an unterminated quote or unbalanced parentheses. */
    static final class LexException extends Exception {
        final int line;

        LexException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private final String text;
    private int pos;
    private int line = 1;

    ZoneLexer(String text) {
        this.text = text;
    }

    /** @return the next entry with at least one token, or null at the end of the text */
    Entry next() throws LexException {
        while (pos < text.length()) {
            int entryLine = line;
            boolean ownerOmitted = pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t');
            List<Token> tokens = new ArrayList<>();
            int depth = 0;
            int openLine = 0;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '\n') {
                    line++;
                    pos++;
                    if (depth == 0) {
                        break;
                    }
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    pos++;
                } else if (c == ';') {
                    while (pos < text.length() && text.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (c == '(') {
                    if (depth++ == 0) {
                        openLine = line;
                    }
                    pos++;
                } else if (c == ')') {
                    if (depth == 0) {
                        throw new LexException(line, "')' without '('");
                    }
                    depth--;
                    pos++;
                } else if (c == '"') {
                    tokens.add(new Token(quoted(), true));
                } else {
                    tokens.add(new Token(word(), false));
                }
            }
            if (depth > 0) {
                throw new LexException(openLine, "'(' is never closed");
            }
            if (!tokens.isEmpty()) {
                return new Entry(entryLine, ownerOmitted, tokens);
            }
        }
        return null;
    }

    private String quoted() throws LexException {
        int startLine = line;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c == '\\' && pos + 1 < text.length()) {
                sb.append(c).append(text.charAt(pos + 1));
                if (text.charAt(pos + 1) == '\n') {
                    line++;
                }
                pos += 2;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            sb.append(c);
            pos++;
        }
        throw new LexException(startLine, "unterminated quoted string");
    }

    private String word() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) != '\n') {
                pos += 2;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '(' || c == ')' || c == '"') {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }
}
