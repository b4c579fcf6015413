package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The build rule "a function ships only what runs in a cluster" (the root pom's {@code function-classpath}
 * enforcer execution): every module under {@code functions/} applies it, and it really fails a build. The proof
 * runs Maven (offline) on throw-away function poms that inherit the rule from the root pom, against a private local
 * repository chained in front of the machine's (so nothing is written to {@code ~/.m2}) holding stand-in artifacts
 * named like the banned modules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionClasspathRuleTest {
    private static final List<String> BANNED = List.of("geocrop-imagery-sim", "geocrop-events-dev", "geocrop-training");

    @TempDir static Path work;
    private Path repo;

    @Test
    void everyFunctionModuleAppliesTheRule() throws Exception {
        List<Path> poms;
        try (Stream<Path> dirs = Files.list(Repo.path("functions"))) {
            poms = dirs.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(Deployables.FUNCTIONS.size(), poms.size(), poms.toString());
        for (Path pom : poms) {
            assertTrue(buildPlugins(pom).contains("maven-enforcer-plugin"), pom + " must declare maven-enforcer-plugin "
                    + "(configured once in the root pom) so the function-classpath rule runs on it");
        }
        assertTrue(Repo.read(Repo.path("pom.xml")).contains("<id>function-classpath</id>"));
    }

    @BeforeAll
    void standInArtifacts() throws IOException {
        repo = Files.createDirectories(work.resolve("repo"));
        for (String banned : BANNED) {
            artifact("io.geocrop", banned, List.of());
        }
        // A harmless-looking library that drags the simulation in.
        artifact("io.geocrop.probe", "carrier", List.of("io.geocrop:geocrop-imagery-sim"));
    }

    @Test
    void aFunctionReachingTheSimulationTransitivelyFails() throws Exception {
        Run run = probe("transitive", Map.of("io.geocrop.probe:carrier", "compile"));
        assertNotEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("io.geocrop:geocrop-imagery-sim"), run.output());
        assertTrue(run.output().contains("A function ships only what runs in a cluster"), run.output());
    }

    @Test
    void aFunctionDependingOnTheDevBrokerOrTrainingFailsWhateverTheScopeButTest() throws Exception {
        Run run = probe("direct", Map.of("io.geocrop:geocrop-events-dev", "runtime", "io.geocrop:geocrop-training",
                "compile", "io.geocrop:geocrop-imagery-sim", "provided"));
        assertNotEquals(0, run.exit(), run.output());
        for (String banned : BANNED) {
            assertTrue(run.output().contains("io.geocrop:" + banned), banned + "\n" + run.output());
        }
    }

    @Test
    void testScopeIsAllowed() throws Exception {
        // The control: the same stand-ins in test scope resolve and pass, so the failures above are the rule's.
        Run run = probe("test-scope", Map.of("io.geocrop:geocrop-events-dev", "test", "io.geocrop:geocrop-training",
                "test", "io.geocrop.probe:carrier", "test"));
        assertEquals(0, run.exit(), run.output());
    }

    // ---- helpers ----

    record Run(int exit, String output) {}

    private Run probe(String name, Map<String, String> dependencies) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        Path root = Repo.root();
        StringBuilder deps = new StringBuilder();
        dependencies.forEach((coordinates, scope) -> {
            String[] ga = coordinates.split(":");
            deps.append("<dependency><groupId>").append(ga[0]).append("</groupId><artifactId>").append(ga[1])
                    .append("</artifactId><version>1</version><scope>").append(scope).append("</scope></dependency>");
        });
        StringBuilder managed = new StringBuilder();
        for (String banned : BANNED) {
            // The root pom pins the real modules' version; the stand-ins are version 1.
            managed.append("<dependency><groupId>io.geocrop</groupId><artifactId>").append(banned)
                    .append("</artifactId><version>1</version></dependency>");
        }
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>io.geocrop</groupId>
                    <artifactId>geocrop-parent</artifactId>
                    <version>0.1.0-SNAPSHOT</version>
                    <relativePath>%s</relativePath>
                  </parent>
                  <artifactId>probe-function-%s</artifactId>
                  <dependencyManagement><dependencies>%s</dependencies></dependencyManagement>
                  <dependencies>%s</dependencies>
                  <build><plugins><plugin>
                    <groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-enforcer-plugin</artifactId>
                  </plugin></plugins></build>
                </project>
                """.formatted(dir.relativize(root.resolve("pom.xml")), name, managed, deps));
        Path machineRepo = Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path log = dir.resolve("maven.log");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("mvnw").toString(), "-B", "-o", "-f",
                dir.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + repo,
                "-Dmaven.repo.local.tail=" + machineRepo, "validate")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MAVEN_OPTS", "-Xmx512m");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("Maven did not finish on " + dir);
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** A jar artifact (pom and an empty jar) in the private repository, with compile dependencies. */
    private void artifact(String group, String artifact, List<String> dependencies) throws IOException {
        Path dir = Files.createDirectories(repo.resolve(group.replace('.', '/')).resolve(artifact).resolve("1"));
        StringBuilder deps = new StringBuilder();
        for (String d : dependencies) {
            String[] ga = d.split(":");
            deps.append("<dependency><groupId>").append(ga[0]).append("</groupId><artifactId>").append(ga[1])
                    .append("</artifactId><version>1</version></dependency>");
        }
        Files.writeString(dir.resolve(artifact + "-1.pom"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>%s</groupId><artifactId>%s</artifactId><version>1</version>
                  <dependencies>%s</dependencies>
                </project>
                """.formatted(group, artifact, deps));
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(dir.resolve(artifact + "-1.jar")))) {
            out.putNextEntry(new java.util.zip.ZipEntry("META-INF/stand-in"));
        }
    }

    private static List<String> buildPlugins(Path pom) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        List<String> plugins = new ArrayList<>();
        NodeList builds = doc.getDocumentElement().getElementsByTagName("build");
        for (int i = 0; i < builds.getLength(); i++) {
            Element build = (Element) builds.item(i);
            if (build.getParentNode() != doc.getDocumentElement()) {
                continue; // a profile's build
            }
            NodeList children = build.getChildNodes();
            for (int j = 0; j < children.getLength(); j++) {
                if (children.item(j) instanceof Element e && e.getTagName().equals("plugins")) {
                    NodeList ids = e.getElementsByTagName("artifactId");
                    for (int k = 0; k < ids.getLength(); k++) {
                        plugins.add(ids.item(k).getTextContent().trim());
                    }
                }
            }
        }
        return plugins;
    }
}
