package ai.interviewinsights.app.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The runners' jar's exclusions (this module's pom.xml, the shade execution {@code runner}) and the packages
 * {@link ArchitectureTest#a_runner_needs_nothing_its_jar_leaves_out} keeps a runner from reaching
 * ({@link ArchitectureTest#LEFT_OUT_OF_THE_RUNNERS_JAR}) are the same list: every class of every excluded artifact
 * found on the test class path is in a package the rule names. An artifact added to the exclusions without its
 * packages in the rule would otherwise go unguarded.
 */
class RunnersJarExclusionsTest {

    @Test
    void every_class_the_runners_jar_leaves_out_is_in_a_package_the_runner_rule_guards() throws Exception {
        List<String> excluded = runnerExclusions(Path.of("pom.xml"));
        assertTrue(excluded.size() >= 20, "the runner execution's exclusions: " + excluded);

        Map<String, Set<String>> unguarded = new TreeMap<>();
        Set<String> found = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String artifact = excluded.stream().filter(e -> isOf(entry, e)).findFirst().orElse(null);
            if (artifact == null) {
                continue;
            }
            found.add(artifact);
            for (String pkg : packagesIn(Path.of(entry))) {
                if (!guarded(pkg)) {
                    unguarded.computeIfAbsent(artifact, a -> new TreeSet<>()).add(pkg);
                }
            }
        }
        assertTrue(found.size() >= 15, "most excluded artifacts are on the test class path: " + found);
        assertEquals(Map.of(), unguarded, "add these packages to ArchitectureTest.LEFT_OUT_OF_THE_RUNNERS_JAR");
    }

    private static List<String> runnerExclusions(Path pom) throws Exception {
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        NodeList ids = document.getElementsByTagName("id");
        for (int i = 0; i < ids.getLength(); i++) {
            if ("runner".equals(ids.item(i).getTextContent().strip())) {
                Element execution = (Element) ids.item(i).getParentNode();
                Element artifactSet = (Element) execution.getElementsByTagName("artifactSet").item(0);
                NodeList excludes = artifactSet.getElementsByTagName("exclude");
                List<String> out = new ArrayList<>();
                for (int j = 0; j < excludes.getLength(); j++) {
                    out.add(excludes.item(j).getTextContent().strip());
                }
                return out;
            }
        }
        throw new AssertionError("no shade execution with the id runner in " + pom.toAbsolutePath());
    }

    /** Whether a class path entry is of {@code groupId:artifactId} ({@code *}: any): a jar of the local repository,
     *  or a module of this build (its {@code target/classes}). */
    private static boolean isOf(String entry, String artifact) {
        String[] parts = artifact.split(":");
        String path = entry.replace(File.separatorChar, '/');
        if (parts[0].equals("ai.interviewinsights")) {
            return path.endsWith("/" + parts[1] + "/target/classes");
        }
        String group = "/" + parts[0].replace('.', '/') + "/";
        int at = path.lastIndexOf(group);
        if (at < 0 || !path.endsWith(".jar")) {
            return false;
        }
        // .../<group path>/<artifactId>/<version>/<file>.jar
        String[] rest = path.substring(at + group.length()).split("/");
        return rest.length == 3 && (parts[1].equals("*") || rest[0].equals(parts[1]));
    }

    private static Set<String> packagesIn(Path entry) throws Exception {
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
                files.filter(f -> f.toString().endsWith(".class"))
                        .forEach(f -> names.add(entry.relativize(f).toString().replace(File.separatorChar, '/')));
            }
        } else {
            try (ZipFile zip = new ZipFile(entry.toFile())) {
                zip.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.endsWith(".class")).forEach(names::add);
            }
        }
        Set<String> packages = new TreeSet<>();
        for (String name : names) {
            String cls = name.replaceFirst("^META-INF/versions/\\d+/", "");
            if (cls.endsWith("module-info.class") || !cls.contains("/")) {
                continue;
            }
            packages.add(cls.substring(0, cls.lastIndexOf('/')).replace('/', '.'));
        }
        return packages;
    }

    private static boolean guarded(String pkg) {
        for (String pattern : ArchitectureTest.LEFT_OUT_OF_THE_RUNNERS_JAR) {
            String root = pattern.substring(0, pattern.length() - 2);
            if (pkg.equals(root) || pkg.startsWith(root + ".")) {
                return true;
            }
        }
        return false;
    }
}
