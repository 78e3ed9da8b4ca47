package dev.isthmus.dns.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dns.engine.ZoneLoader;
import dev.isthmus.dns.wire.DnsName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./isthmus dns --zones FILE}: the list's lines, its paths, and the errors that name file:line. */
class KernelDnsMainTest {

    @Test
    void aZoneListGivesOneSourcePerLineWithPathsRelativeToTheList(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("zones.list");
        Files.writeString(list, "# served zones\n\na.test=a.zone\n  b.test. = sub/b.zone  \n"
            + "c.test=/srv/zones/c.zone\n");
        assertEquals(List.of(new ZoneLoader.Source(DnsName.of("a.test"), dir.resolve("a.zone")),
                new ZoneLoader.Source(DnsName.of("b.test"), dir.resolve("sub/b.zone")),
                new ZoneLoader.Source(DnsName.of("c.test"), Path.of("/srv/zones/c.zone"))),
            KernelDnsMain.zoneList(list));
    }

    @Test
    void aLineThatIsNotNameEqualsPathIsReportedWithItsLine(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("zones.list");
        Files.writeString(list, "a.test=a.zone\n# fine\nb.test b.zone\n");
        assertEquals(list + ":3: expected NAME=PATH, got 'b.test b.zone'",
            assertThrows(IllegalArgumentException.class, () -> KernelDnsMain.zoneList(list)).getMessage());
        Files.writeString(list, "a.test=\n");
        assertEquals(list + ":1: expected NAME=PATH, got 'a.test='",
            assertThrows(IllegalArgumentException.class, () -> KernelDnsMain.zoneList(list)).getMessage());
        Files.writeString(list, "a..test=a.zone\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelDnsMain.zoneList(list))
            .getMessage().startsWith(list + ":1: "));
        Path missing = dir.resolve("missing.list");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelDnsMain.zoneList(missing))
            .getMessage().startsWith("--zones: cannot read " + missing));
    }
}
