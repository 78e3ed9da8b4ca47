package dev.isthmus.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensFileTest {

    @TempDir
    Path directory;

    private Path write(String text, String mode) throws Exception {
        Path file = directory.resolve("tokens");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void tokensAreVerifiedWithTheirScopeAndName() throws Exception {
        ApiTokens tokens = TokensFile.load(write("""
                # comment
                0123456789abcdef0 read grafana

                fedcba98765432100 WRITE alice
                """, "rw-------"));
        assertTrue(tokens.required());
        assertEquals(Optional.of(new ApiTokens.Holder("grafana", Scope.READ)), tokens.verify("0123456789abcdef0"));
        assertEquals(Optional.of(new ApiTokens.Holder("alice", Scope.WRITE)), tokens.verify("fedcba98765432100"));
        assertEquals(Optional.empty(), tokens.verify("0123456789abcdef"));
        assertEquals(Optional.empty(), tokens.verify(""));
        assertTrue(Scope.WRITE.allows(Scope.READ));
        assertTrue(!Scope.READ.allows(Scope.WRITE));
    }

    @Test
    void aFileOthersCanReadIsRefusedWithTheReason() throws Exception {
        Path file = write("0123456789abcdef0 read grafana\n", "rw-r--r--");
        TokensFile.Invalid e = assertThrows(TokensFile.Invalid.class, () -> TokensFile.load(file));
        assertEquals(List.of(file + ": refused: its mode rw-r--r-- lets group or others read or change the tokens; chmod 600 " + file),
                e.problems());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        assertThrows(TokensFile.Invalid.class, () -> TokensFile.load(file));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        TokensFile.load(file);
    }

    @Test
    void badLinesAreReportedWithTheirLineAndNeverEchoTheToken() throws Exception {
        Path file = write("""
                0123456789abcdef0 read
                short read bob
                0123456789abcdef1 admin carol
                0123456789abcdef2 read dave
                0123456789abcdef3 write dave
                0123456789abcdef2 read erin
                """, "rw-------");
        TokensFile.Invalid e = assertThrows(TokensFile.Invalid.class, () -> TokensFile.load(file));
        assertEquals(List.of(
                file + ":1: expected TOKEN SCOPE NAME, found 2 field(s)",
                file + ":2: the token is shorter than 16 characters (openssl rand -hex 32 makes one)",
                file + ":3: scope 'admin' must be read or write",
                file + ":5: name 'dave' is used twice (the journal could not tell them apart)",
                file + ":6: the token is listed twice"), e.problems());
        assertTrue(e.problems().stream().noneMatch(p -> p.contains("0123456789abcdef")));
    }

    @Test
    void anEmptyFileIsAMistake() throws Exception {
        Path file = write("# nothing yet\n", "rw-------");
        assertEquals(List.of(file + ": has no token (remove api.tokens-file to run without tokens, on loopback only)"),
                assertThrows(TokensFile.Invalid.class, () -> TokensFile.load(file)).problems());
    }
}
