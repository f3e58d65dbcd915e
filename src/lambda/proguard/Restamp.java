import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Copies a jar with every entry's time set to one fixed time (project.build.outputTimestamp), changing nothing else:
 * ProGuard stamps each entry it writes with the current time, so unchanged sources would give a different jar each
 * build. Rewrites the MS-DOS time and date of each local header and central directory record in place.
 * {@code java Restamp.java <in.jar> <out.jar> <ISO-8601 time>}
 */
public class Restamp {
    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        LocalDateTime t = OffsetDateTime.parse(args[2]).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        short time = (short) (t.getHour() << 11 | t.getMinute() << 5 | t.getSecond() / 2);
        short date = (short) ((t.getYear() - 1980) << 9 | t.getMonthValue() << 5 | t.getDayOfMonth());
        ByteBuffer zip = ByteBuffer.wrap(Files.readAllBytes(in)).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.limit() - 22;
        while (end >= 0 && zip.getInt(end) != 0x06054b50) {
            end--; // End of central directory record, before any archive comment.
        }
        if (end < 0) {
            throw new IOException(in + ": no end of central directory record");
        }
        int entries = Short.toUnsignedInt(zip.getShort(end + 10));
        int record = zip.getInt(end + 16);
        for (int i = 0; i < entries; i++) {
            if (zip.getInt(record) != 0x02014b50) {
                throw new IOException(in + ": bad central directory record " + i);
            }
            zip.putShort(record + 12, time).putShort(record + 14, date);
            int local = zip.getInt(record + 42);
            if (zip.getInt(local) != 0x04034b50) {
                throw new IOException(in + ": bad local header " + i);
            }
            zip.putShort(local + 10, time).putShort(local + 12, date);
            record += 46 + Short.toUnsignedInt(zip.getShort(record + 28)) + Short.toUnsignedInt(zip.getShort(record + 30))
                    + Short.toUnsignedInt(zip.getShort(record + 32));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.write(tmp, zip.array());
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("Restamp: " + entries + " entries of " + out + " at " + t + " (" + Files.size(out) + " bytes)");
    }
}
