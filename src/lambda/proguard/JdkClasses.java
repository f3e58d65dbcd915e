import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the class files of the given JDK modules of the running JDK (its jrt:/ image) into one jar: ProGuard's
 * library jars. JDKs from 9 on may ship without jmods/ (Temurin 25 does), and ProGuard cannot read jrt:/ itself.
 * Run by the build in source-file mode with the JDK the build compiles with:
 * {@code java -Drtca.jdk.min=<feature> JdkClasses.java <out.jar> <module>...}; a JDK older than rtca.jdk.min is refused
 * (its classes lack what the artifact references, and ProGuard would fail on each of them).
 */
public class JdkClasses {
    public static void main(String[] args) throws IOException {
        int min = Integer.parseInt(System.getProperty("rtca.jdk.min", "0"));
        if (Runtime.version().feature() < min) {
            System.err.println("JdkClasses: running on JDK " + Runtime.version().feature() + " (" + System.getProperty("java.home")
                    + "); ProGuard's library jar needs the classes of JDK " + min + " or newer, the JDK the build compiles with");
            System.exit(1);
        }
        Path out = Path.of(args[0]);
        String stamp = System.getProperty("java.home") + " " + System.getProperty("java.runtime.version") + " "
                + String.join(",", List.of(args).subList(1, args.length));
        Path stampFile = Path.of(args[0] + ".stamp");
        if (Files.exists(out) && Files.exists(stampFile) && Files.readString(stampFile).equals(stamp)) {
            return; // Up to date: same JDK, same modules.
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        int count = 0;
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            zip.setLevel(0); // Read once by ProGuard: no point compressing.
            for (String module : List.of(args).subList(1, args.length)) {
                Path root = jrt.getPath("/modules", module);
                if (!Files.isDirectory(root)) {
                    throw new IllegalArgumentException("No module " + module + " in " + System.getProperty("java.home"));
                }
                List<Path> classes;
                try (Stream<Path> walk = Files.walk(root)) {
                    classes = walk.filter(p -> p.toString().endsWith(".class"))
                            .filter(p -> !p.getFileName().toString().equals("module-info.class"))
                            .sorted().toList();
                }
                for (Path p : classes) {
                    zip.putNextEntry(new ZipEntry(root.relativize(p).toString()));
                    Files.copy(p, (OutputStream) zip);
                    zip.closeEntry();
                    count++;
                }
            }
        }
        Files.writeString(stampFile, stamp);
        System.out.println("JdkClasses: " + count + " classes of " + System.getProperty("java.runtime.version") + " -> " + out);
    }
}
