package dev.isthmus.control.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code api.tokens-file}: one token a line, {@code TOKEN SCOPE NAME} separated by blanks, e.g.
 * {@code 5Yc...Qk write alice}; blank lines and lines starting with {@code #} are ignored. A file that anyone but
 * its owner may read or write is refused, as ssh refuses a private key that is: its tokens must be considered
 * known. Every problem is reported with {@code file:line}.
 */
public final class TokensFile {

    /** A token shorter than this is guessable; {@code openssl rand -hex 32} gives 64 characters. */
    static final int MIN_TOKEN_LENGTH = 16;

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]+"); // RFC 6750 §2.1 b64token
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private TokensFile() {
    }

    /** The file cannot be used; every reason, each naming the file (and the line). */
    public static final class Invalid extends Exception {

        private final List<String> problems;

        Invalid(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /** @throws Invalid when it cannot be read, is readable by others, or has a bad line */
    public static ApiTokens load(Path file) throws Invalid {
        Optional<String> exposed = exposure(file);
        if (exposed.isPresent()) {
            throw new Invalid(List.of(exposed.get()));
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Invalid(List.of(file + ": cannot be read: " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<ApiTokens.Holder> holders = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String at = file + ":" + (i + 1) + ": ";
            String[] fields = line.split("\\s+");
            if (fields.length != 3) {
                problems.add(at + "expected TOKEN SCOPE NAME, found " + fields.length + " field(s)");
                continue;
            }
            // The token itself is never echoed into a message: messages reach logs and terminals.
            if (!TOKEN.matcher(fields[0]).matches()) {
                problems.add(at + "the token has characters a bearer token cannot carry (RFC 6750 §2.1)");
            } else if (fields[0].length() < MIN_TOKEN_LENGTH) {
                problems.add(at + "the token is shorter than " + MIN_TOKEN_LENGTH + " characters (openssl rand -hex 32 makes one)");
            } else if (!seen.add(fields[0])) {
                problems.add(at + "the token is listed twice");
            }
            Optional<Scope> scope = Scope.parse(fields[1]);
            if (scope.isEmpty()) {
                problems.add(at + "scope '" + fields[1] + "' must be read or write");
            }
            if (!NAME.matcher(fields[2]).matches()) {
                problems.add(at + "name '" + fields[2] + "' must be 1-64 letters, digits, '.', '_', '@' or '-'");
            } else if (!names.add(fields[2])) {
                problems.add(at + "name '" + fields[2] + "' is used twice (the journal could not tell them apart)");
            }
            scope.ifPresent(s -> {
                tokens.add(fields[0]);
                holders.add(new ApiTokens.Holder(fields[2], s));
            });
        }
        if (problems.isEmpty() && tokens.isEmpty()) {
            problems.add(file + ": has no token (remove api.tokens-file to run without tokens, on loopback only)");
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return ApiTokens.of(tokens, holders);
    }

    /** @return why the file is exposed to others than its owner, or empty when it is not */
    static Optional<String> exposure(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
            loose.addAll(permissions);
            loose.retainAll(OTHERS);
            if (!loose.isEmpty()) {
                return Optional.of(file + ": refused: its mode " + PosixFilePermissions.toString(permissions)
                        + " lets group or others read or change the tokens; chmod 600 " + file);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(file + ": cannot be read: " + e.getMessage());
        }
    }
}
