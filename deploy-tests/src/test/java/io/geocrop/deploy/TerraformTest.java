package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * infra/terraform, parsed with an HCL parser: the three namespaces, a ResourceQuota and a LimitRange for each
 * (light containers about 512 MiB by default, workers up to about 2 GiB), and variables that all have a
 * description and a default, so `terraform apply` works with no input.
 */
class TerraformTest {

    /** Every .tf file parsed, merged by block type (variable, resource, ...). */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> parsed() {
        Map<String, Map<String, Object>> merged = new LinkedHashMap<>();
        List<Path> files = Repo.files("infra/terraform", ".tf");
        assertFalse(files.isEmpty(), "no Terraform files");
        for (Path file : files) {
            Map<String, Object> doc;
            try {
                doc = new HCLParser().parse(file.toFile(), "UTF-8");
            } catch (Exception e) {
                throw new AssertionError(Repo.rel(file) + " does not parse as HCL: " + e.getMessage(), e);
            }
            doc.forEach((block, value) -> {
                if (value instanceof Map<?, ?> m) {
                    merged.computeIfAbsent(block, k -> new LinkedHashMap<>()).putAll((Map<String, Object>) m);
                }
            });
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> block(Map<String, Object> parent, String... path) {
        Object node = parent;
        for (String p : path) {
            assertTrue(node instanceof Map<?, ?>, String.join(".", path));
            node = ((Map<String, Object>) node).get(p);
            assertNotNull(node, "missing " + String.join(".", path));
        }
        return (Map<String, Object>) node;
    }

    /** The default value of a Terraform variable, as text. */
    static String variableDefault(String name) {
        Object value = block(parsed().get("variable"), name).get("default");
        assertNotNull(value, "variable " + name + " has no default");
        return value.toString();
    }

    @Test
    void everyFileParsesAndIsBalanced() {
        assertTrue(parsed().containsKey("resource"));
        assertTrue(parsed().containsKey("terraform"));
        // hcl4j is lenient about unclosed blocks, so check the structure too.
        for (Path file : Repo.files("infra/terraform", ".tf")) {
            assertEquals(null, unbalanced(Repo.read(file)), Repo.rel(file));
        }
    }

    /** The first unbalanced bracket or unterminated string outside comments, or null if there is none. */
    static String unbalanced(String text) {
        java.util.ArrayDeque<Character> open = new java.util.ArrayDeque<>();
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '#' || (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/')) {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
                line++;
            } else if (c == '"') {
                int start = line;
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\') {
                        i++;
                    } else if (text.charAt(i) == '\n') {
                        return "unterminated string on line " + start;
                    }
                    i++;
                }
                if (i >= text.length()) {
                    return "unterminated string on line " + start;
                }
            } else if (c == '{' || c == '[' || c == '(') {
                open.push(c);
            } else if (c == '}' || c == ']' || c == ')') {
                char expected = c == '}' ? '{' : c == ']' ? '[' : '(';
                if (open.isEmpty() || open.pop() != expected) {
                    return "unexpected '" + c + "' on line " + line;
                }
            }
        }
        return open.isEmpty() ? null : "unclosed '" + open.peek() + "' at end of file";
    }

    @Test
    void everyVariableHasADescriptionAndADefault() {
        Map<String, Object> variables = parsed().get("variable");
        assertNotNull(variables);
        assertTrue(variables.size() >= 8, variables.keySet().toString());
        variables.forEach((name, v) -> {
            Map<?, ?> variable = (Map<?, ?>) v;
            assertTrue(variable.containsKey("default"), name + " has no default");
            assertTrue(variable.get("description") instanceof String d && !d.isBlank(), name + " has no description");
        });
    }

    @Test
    void createsTheThreeNamespaces() {
        Map<String, Object> namespaces = block(parsed().get("resource"), "kubernetes_namespace_v1");
        Set<String> names = new TreeSet<>();
        for (Object ns : namespaces.values()) {
            Object metadata = ((Map<?, ?>) ns).get("metadata");
            Map<?, ?> meta = metadata instanceof List<?> list ? (Map<?, ?>) list.getFirst() : (Map<?, ?>) metadata;
            String name = meta.get("name").toString();
            // var.* references resolve to the variables' defaults.
            if (name.startsWith("var.") || name.startsWith("${var.")) {
                name = variableDefault(name.replace("${", "").replace("}", "").substring("var.".length()));
            }
            names.add(name);
        }
        assertEquals(Set.of("geocrop", "argocd", "monitoring"), names);
        // The manifests target exactly these namespaces.
        assertEquals("geocrop", variableDefault("geocrop_namespace"));
    }

    @Test
    void quotasAndLimitRangesCoverEveryNamespace() {
        Map<String, Object> resources = parsed().get("resource");
        Map<String, Object> quota = block(resources, "kubernetes_resource_quota_v1");
        Map<String, Object> limits = block(resources, "kubernetes_limit_range_v1");
        assertEquals(1, quota.size());
        assertEquals(1, limits.size());
        String text = Repo.read(Repo.path("infra/terraform/quotas.tf"));
        // One of each per namespace, through for_each over the three budgets.
        for (String ns : List.of("geocrop", "monitoring", "argocd")) {
            assertTrue(text.contains(ns + " = {") || text.matches("(?s).*\\b" + ns + "\\s+=\\s+\\{.*"), ns);
        }
        assertTrue(text.contains("for_each = local.budgets"));
        for (String hard : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "pods")) {
            assertTrue(text.contains("\"" + hard + "\""), "quota lacks " + hard);
        }
    }

    @Test
    void limitRangeDefaultsAreLightAndMaximaFitWorkers() {
        assertEquals(Quantities.bytes("512Mi"), Quantities.bytes(variableDefault("light_container_memory")));
        assertEquals(Quantities.bytes("2Gi"), Quantities.bytes(variableDefault("worker_container_memory")));
        // The geocrop quota holds every function at its max-scale with its limit.
        long functions = 0;
        for (String fn : Deployables.FUNCTIONS) {
            var service = KnativeServicesTest.service(fn);
            int max = Integer.parseInt(service.at("/spec/template/metadata/annotations").path("autoscaling.knative.dev/max-scale").asText());
            functions += max * Quantities.bytes(KnativeServicesTest.container(fn).at("/resources/limits/memory").asText());
        }
        Map<?, ?> quota = (Map<?, ?>) block(parsed().get("variable"), "geocrop_quota").get("default");
        assertTrue(Quantities.bytes(quota.get("limits_memory").toString()) >= functions,
                "geocrop quota limits.memory below the functions' total at max-scale (" + functions + " bytes)");
    }

    @Test
    void brokenHclIsRejected() {
        assertEquals("unclosed '{' at end of file", unbalanced("variable \"x\" {\n  default = [1, 2]\n"));
        assertEquals("unterminated string on line 2", unbalanced("variable \"x\" {\n  default = \"a\n}\n"));
        assertEquals(null, unbalanced("# a { comment\nvariable \"x\" { default = \"}\" }\n"));
    }
}
