import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks a staged release, a Maven repository directory such as the unzipped Central bundle, against
 * what Maven Central requires and what sseline promises. Every library module of the reactor (a
 * module with a {@code .library} file, the marker the parent POM's library profile reads too) and
 * the BOM must be there, and nothing else; each
 * library module with its jar, POM, sources jar, Javadoc jar and CycloneDX SBOM (JSON and XML); every
 * file with a signature that gpgv verifies against the given key and with MD5 and SHA-1 checksums
 * that match (SHA-256 and SHA-512 too where present); every POM complete and standing alone. A
 * library jar is a named module (module-info.class) or, where it cannot be one, an automatic module
 * with an {@code io.sseline.*} Automatic-Module-Name; a reactor module with a module-info.java but no
 * marker is a problem too, since it would be neither checked nor published.
 *
 * <p>{@code java .ci/CheckStaging.java STAGING VERSION KEYRING REACTOR_DIR}, where KEYRING is the
 * public key exported in binary form ({@code gpg --export KEY > KEYRING}). Prints one line per
 * problem, naming the module and file, and exits with 1 if there is any.
 */
public final class CheckStaging {
    private static final String GROUP = "io.sseline";
    private static final String BOM = "sseline-bom";
    /** The file that makes a module a library module, here and in the parent POM's library profile. */
    private static final String LIBRARY_MARKER = ".library";
    private static final List<String> LIBRARY_FILES =
            List.of(".jar", ".pom", "-sources.jar", "-javadoc.jar", "-cyclonedx.json", "-cyclonedx.xml");
    private static final Map<String, String> CHECKSUMS = new TreeMap<>(
            Map.of(".md5", "MD5", ".sha1", "SHA-1", ".sha256", "SHA-256", ".sha512", "SHA-512"));
    private static final Set<String> REQUIRED_CHECKSUMS = Set.of(".md5", ".sha1");
    private static final Pattern INTERNAL = Pattern.compile("(^|\\.)internal(\\.|$)");

    private final Path staging;
    private final String version;
    private final Path keyring;
    private final String javaRelease;
    private final List<String> problems = new ArrayList<>();
    private int signatures;
    private int checksums;

    private CheckStaging(Path staging, String version, Path keyring, String javaRelease) {
        this.staging = staging;
        this.version = version;
        this.keyring = keyring;
        this.javaRelease = javaRelease;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: java .ci/CheckStaging.java STAGING VERSION KEYRING REACTOR_DIR");
            System.exit(2);
        }
        Path reactor = Path.of(args[3]);
        Element root = parse(reactor.resolve("pom.xml"));
        CheckStaging check = new CheckStaging(
                Path.of(args[0]).toAbsolutePath(),
                args[1],
                Path.of(args[2]).toAbsolutePath(),
                text(root, "properties", "maven.compiler.release"));
        List<String> libraries = new ArrayList<>();
        for (String module : texts(root, "modules", "module")) {
            Path dir = reactor.resolve(module);
            if (Files.exists(dir.resolve(LIBRARY_MARKER))) {
                libraries.add(text(parse(dir.resolve("pom.xml")), "artifactId"));
            } else if (Files.exists(dir.resolve("src/main/java/module-info.java"))) {
                check.problems.add(module + ": has a module-info.java but no " + LIBRARY_MARKER
                        + " file, so it is neither built nor published as a library module; add the file"
                        + " (CONTRIBUTING.md, \"Adding a library module\")");
            }
        }
        check.run(libraries);
    }

    private void run(List<String> libraries) throws Exception {
        Path base = staging.resolve(GROUP.replace('.', '/'));
        Set<String> expected = new TreeSet<>(libraries);
        expected.add(BOM);
        try (Stream<Path> all = Files.walk(staging)) {
            for (Path file : all.filter(Files::isRegularFile).collect(Collectors.toList())) {
                Path relative = base.relativize(file);
                if (!file.startsWith(base) || relative.getNameCount() != 3) {
                    problems.add(staging.relativize(file) + ": not an artifact of " + GROUP + " at " + version);
                } else if (!expected.contains(relative.getName(0).toString())) {
                    problems.add(staging.relativize(file) + ": " + relative.getName(0)
                            + " is not a library module or the BOM, and must not be published");
                }
            }
        }
        for (String library : libraries) {
            checkArtifact(library, LIBRARY_FILES);
        }
        checkArtifact(BOM, List.of(".pom"));
        checkBom(libraries);

        if (problems.isEmpty()) {
            System.out.println("staged " + version + ": " + String.join(", ", expected) + " complete; " + signatures
                    + " signatures verified, " + checksums + " checksums match");
        } else {
            problems.forEach(problem -> System.out.println("staging: " + problem));
            System.out.println("staging: " + problems.size() + " problems in " + staging);
            System.exit(1);
        }
    }

    private void checkArtifact(String artifactId, List<String> suffixes) throws Exception {
        Path dir = staging.resolve(GROUP.replace('.', '/')).resolve(artifactId).resolve(version);
        String prefix = artifactId + "-" + version;
        if (!Files.isDirectory(dir)) {
            problems.add(artifactId + ": not staged (no " + staging.relativize(dir) + ")");
            return;
        }
        Set<String> known = new TreeSet<>();
        for (String suffix : suffixes) {
            String name = prefix + suffix;
            Path file = dir.resolve(name);
            known.add(name);
            known.add(name + ".asc");
            CHECKSUMS.keySet().forEach(c -> known.add(name + c));
            if (!Files.isRegularFile(file)) {
                problems.add(artifactId + ": missing " + name);
                continue;
            }
            checkSignature(artifactId, file);
            checkChecksums(artifactId, file);
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString())
                    .filter(name -> !known.contains(name))
                    .forEach(name -> problems.add(artifactId + ": unexpected file " + name));
        }
        checkPom(artifactId, dir.resolve(prefix + ".pom"));
        if (suffixes.contains(".jar")) {
            checkJars(artifactId, dir, prefix);
        }
    }

    private void checkSignature(String artifactId, Path file) throws Exception {
        Path signature = Path.of(file + ".asc");
        if (!Files.isRegularFile(signature)) {
            problems.add(artifactId + ": missing signature " + signature.getFileName());
            return;
        }
        Process gpgv = new ProcessBuilder(
                        "gpgv", "--keyring", keyring.toString(), signature.toString(), file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(gpgv.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gpgv.waitFor(60, TimeUnit.SECONDS) || gpgv.exitValue() != 0) {
            problems.add(artifactId + ": signature " + signature.getFileName() + " does not verify with "
                    + keyring.getFileName() + ": " + output.strip().replace('\n', ' '));
        } else {
            signatures++;
        }
    }

    private void checkChecksums(String artifactId, Path file) throws IOException, NoSuchAlgorithmException {
        byte[] content = Files.readAllBytes(file);
        for (Map.Entry<String, String> checksum : CHECKSUMS.entrySet()) {
            Path sum = Path.of(file + checksum.getKey());
            if (!Files.isRegularFile(sum)) {
                if (REQUIRED_CHECKSUMS.contains(checksum.getKey())) {
                    problems.add(artifactId + ": missing checksum " + sum.getFileName());
                }
                continue;
            }
            String expected = HexFormat.of()
                    .formatHex(MessageDigest.getInstance(checksum.getValue()).digest(content));
            String actual = Files.readString(sum).strip().split("\\s+")[0].toLowerCase(java.util.Locale.ROOT);
            if (!actual.equals(expected)) {
                problems.add(artifactId + ": " + sum.getFileName() + " is " + actual + ", the file's is " + expected);
            } else {
                checksums++;
            }
        }
    }

    /** What Central requires of a POM, and that it stands alone: no parent, nothing left to resolve. */
    private void checkPom(String artifactId, Path pomFile) throws Exception {
        if (!Files.isRegularFile(pomFile)) {
            return; // reported as missing
        }
        String raw = Files.readString(pomFile);
        String name = artifactId + ": " + pomFile.getFileName();
        Element pom;
        try {
            pom = parse(pomFile);
        } catch (org.xml.sax.SAXException e) {
            problems.add(name + ": not well-formed XML: " + e.getMessage());
            return;
        }
        expect(name, "groupId", text(pom, "groupId"), GROUP);
        expect(name, "artifactId", text(pom, "artifactId"), artifactId);
        expect(name, "version", text(pom, "version"), version);
        String[][] required = {
            {"name"}, {"description"}, {"url"}, {"licenses", "license", "name"}, {"licenses", "license", "url"},
            {"scm", "url"}, {"scm", "connection"}, {"scm", "developerConnection"}, {"developers", "developer", "name"},
            {"issueManagement", "url"}, {"organization", "name"},
        };
        for (String[] path : required) {
            if (text(pom, path).isBlank()) {
                problems.add(name + ": no <" + String.join("><", path) + ">, which Central or users need");
            }
        }
        if (child(pom, "parent") != null) {
            problems.add(name + ": has a <parent>; a published POM must stand alone (flatten-maven-plugin)");
        }
        if (raw.contains("${")) {
            problems.add(name + ": has an unresolved ${...} expression");
        }
        if (raw.contains("-SNAPSHOT")) {
            problems.add(name + ": mentions a SNAPSHOT version");
        }
        Element dependencies = child(pom, "dependencies");
        for (Element dependency : dependencies == null ? List.<Element>of() : children(dependencies, "dependency")) {
            String coordinates = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
            if (text(dependency, "version").isBlank()) {
                problems.add(name + ": dependency " + coordinates + " has no version");
            } else if (text(dependency, "groupId").equals(GROUP)) {
                expect(name, "version of " + coordinates, text(dependency, "version"), version);
            }
        }
    }

    private void checkJars(String artifactId, Path dir, String prefix) throws Exception {
        Path jar = dir.resolve(prefix + ".jar");
        Path sources = dir.resolve(prefix + "-sources.jar");
        Path javadoc = dir.resolve(prefix + "-javadoc.jar");
        if (!Files.isRegularFile(jar)) {
            return; // reported as missing
        }
        ModuleDescriptor module;
        Set<String> classes = new TreeSet<>();
        try (JarFile zip = new JarFile(jar.toFile())) {
            if (zip.getEntry("module-info.class") != null) {
                try (InputStream in = zip.getInputStream(zip.getEntry("module-info.class"))) {
                    module = ModuleDescriptor.read(in);
                }
            } else {
                module = automaticModule(artifactId, jar, zip);
                if (module == null) {
                    return;
                }
            }
            zip.stream()
                    .map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.endsWith("module-info.class"))
                    .forEach(n -> classes.add(n.substring(0, n.length() - ".class".length())));
        }
        for (ModuleDescriptor.Exports exports : module.exports()) {
            if (INTERNAL.matcher(exports.source()).find()) {
                problems.add(artifactId + ": module " + module.name() + " exports " + exports.source()
                        + "; internal packages are not API");
            }
        }
        if (Files.isRegularFile(sources)) {
            try (ZipFile zip = new ZipFile(sources.toFile())) {
                for (String type : classes) {
                    if (zip.getEntry(type + ".java") == null) {
                        problems.add(artifactId + ": " + sources.getFileName() + " lacks " + type + ".java");
                    }
                }
                if (!module.isAutomatic() && zip.getEntry("module-info.java") == null) {
                    problems.add(artifactId + ": " + sources.getFileName() + " lacks module-info.java");
                }
            }
        }
        if (Files.isRegularFile(javadoc)) {
            checkJavadoc(artifactId, javadoc, module);
        }
        checkSbom(artifactId, dir, prefix);
    }

    /**
     * The module a jar without module-info.class is on the module path: its Automatic-Module-Name,
     * which must be set and in io.sseline, and as API the packages that are not internal (an
     * automatic module opens all of its packages, so the internal ones are left out here only to
     * check the Javadoc). Null, with the problem recorded, when the name is missing.
     */
    private ModuleDescriptor automaticModule(String artifactId, Path jar, JarFile zip) throws IOException {
        Manifest manifest = zip.getManifest();
        String name = manifest == null ? null : manifest.getMainAttributes().getValue("Automatic-Module-Name");
        if (name == null || !name.startsWith(GROUP + ".")) {
            problems.add(artifactId + ": " + jar.getFileName() + " has neither a module-info.class nor an "
                    + GROUP + ".* Automatic-Module-Name, but '" + name + "'");
            return null;
        }
        Set<String> packages = zip.stream()
                .map(e -> e.getName())
                .filter(n -> n.endsWith(".class") && n.contains("/"))
                .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.'))
                .collect(Collectors.toCollection(TreeSet::new));
        return ModuleDescriptor.newAutomaticModule(name).packages(packages).build();
    }

    /**
     * The module page with its description and a page per exported package (for an automatic module,
     * a page per package but the internal ones), examples, JDK links.
     */
    private void checkJavadoc(String artifactId, Path javadoc, ModuleDescriptor module) throws IOException {
        String name = artifactId + ": " + javadoc.getFileName();
        try (ZipFile zip = new ZipFile(javadoc.toFile())) {
            if (zip.getEntry("element-list") == null) {
                problems.add(name + " has no element-list, so no one can link to it");
            }
            if (module.isAutomatic()) {
                // No module-info, so no description of the module: a page per package, in the module's
                // directory when javadoc documented the jar as its automatic module (the Javadoc plugin
                // does, from the Automatic-Module-Name), at the top otherwise.
                for (String pkg : module.packages()) {
                    boolean internal = INTERNAL.matcher(pkg).find();
                    String page = pkg.replace('.', '/') + "/package-summary.html";
                    boolean documented = zip.getEntry(module.name() + "/" + page) != null || zip.getEntry(page) != null;
                    if (internal && documented) {
                        problems.add(name + " documents " + pkg + "; internal packages are not API"
                                + " (excludePackageNames in the module's javadoc configuration)");
                    } else if (!internal && !documented) {
                        problems.add(name + " has no page for package " + pkg);
                    }
                }
            } else {
                var summary = zip.getEntry(module.name() + "/module-summary.html");
                if (summary == null) {
                    problems.add(name + " has no page for module " + module.name());
                } else {
                    String page = new String(zip.getInputStream(summary).readAllBytes(), StandardCharsets.UTF_8);
                    if (!page.contains("class=\"block\"")) {
                        problems.add(name + ": the page of module " + module.name()
                                + " has no description (the Javadoc comment of module-info.java)");
                    }
                }
                for (ModuleDescriptor.Exports exports : module.exports()) {
                    String page = module.name() + "/" + exports.source().replace('.', '/') + "/package-summary.html";
                    if (zip.getEntry(page) == null) {
                        problems.add(name + " has no page for exported package " + exports.source());
                    }
                }
            }
            boolean examples = false;
            boolean jdkLinks = false;
            String jdkDocs = "https://docs.oracle.com/en/java/javase/" + javaRelease + "/docs/api/";
            for (var entry : zip.stream().filter(e -> e.getName().endsWith(".html")).collect(Collectors.toList())) {
                String page = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
                examples |= page.contains("<pre><code>") || page.contains("<pre class=\"snippet");
                jdkLinks |= page.contains(jdkDocs);
            }
            if (!examples) {
                problems.add(name + " shows no code example (<pre>{@code ...}</pre> in the Javadoc)");
            }
            if (!jdkLinks) {
                problems.add(name + " has no link to the JDK's API docs (" + jdkDocs + ")");
            }
        }
    }

    private void checkSbom(String artifactId, Path dir, String prefix) throws Exception {
        String purl = "pkg:maven/" + GROUP + "/" + artifactId + "@" + version + "?type=jar";
        Path json = dir.resolve(prefix + "-cyclonedx.json");
        if (Files.isRegularFile(json)) {
            String content = Files.readString(json);
            if (!Pattern.compile("\"bomFormat\"\\s*:\\s*\"CycloneDX\"").matcher(content).find()
                    || !content.contains("\"" + purl + "\"")) {
                problems.add(artifactId + ": " + json.getFileName() + " is not a CycloneDX SBOM of " + purl);
            }
        }
        Path xml = dir.resolve(prefix + "-cyclonedx.xml");
        if (Files.isRegularFile(xml)) {
            Element bom = parse(xml);
            if (!bom.getTagName().equals("bom") || !text(bom, "metadata", "component", "purl").equals(purl)) {
                problems.add(artifactId + ": " + xml.getFileName() + " is not a CycloneDX SBOM of " + purl);
            }
        }
    }

    /** The BOM manages every library module at this version, and nothing else. */
    private void checkBom(List<String> libraries) throws Exception {
        Path pomFile = staging.resolve(GROUP.replace('.', '/')).resolve(BOM).resolve(version)
                .resolve(BOM + "-" + version + ".pom");
        if (!Files.isRegularFile(pomFile)) {
            return; // reported as missing
        }
        Element management = child(parse(pomFile), "dependencyManagement");
        Element dependencies = management == null ? null : child(management, "dependencies");
        Map<String, String> managed = new LinkedHashMap<>();
        for (Element dependency : dependencies == null ? List.<Element>of() : children(dependencies, "dependency")) {
            managed.put(text(dependency, "groupId") + ":" + text(dependency, "artifactId"), text(dependency, "version"));
        }
        for (String library : libraries) {
            String version = managed.remove(GROUP + ":" + library);
            if (version == null) {
                problems.add(BOM + ": does not manage " + library + "; add it to bom/pom.xml");
            } else if (!version.equals(this.version)) {
                problems.add(BOM + ": manages " + library + " at " + version + ", not " + this.version);
            }
        }
        managed.keySet().forEach(other -> problems.add(BOM + ": manages " + other + ", which is not a library module"));
    }

    private void expect(String where, String what, String actual, String expected) {
        if (!actual.equals(expected)) {
            problems.add(where + ": " + what + " is '" + actual + "', expected '" + expected + "'");
        }
    }

    private static Element parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(file.toFile());
        return document.getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element && ((Element) node).getTagName().equals(name)) {
                return (Element) node;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element && ((Element) node).getTagName().equals(name)) {
                found.add((Element) node);
            }
        }
        return found;
    }

    /** The text at a path of first children, or "" when any step is missing. */
    private static String text(Element element, String... path) {
        Element at = element;
        for (String step : path) {
            at = child(at, step);
            if (at == null) {
                return "";
            }
        }
        return at.getTextContent().strip();
    }

    /** The texts of every {@code leaf} under the first {@code parent}. */
    private static List<String> texts(Element element, String parent, String leaf) {
        Element at = child(element, parent);
        return at == null
                ? List.of()
                : children(at, leaf).stream().map(e -> e.getTextContent().strip()).collect(Collectors.toList());
    }
}
