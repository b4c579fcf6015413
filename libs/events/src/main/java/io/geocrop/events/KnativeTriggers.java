package io.geocrop.events;

import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The event wiring read from the Knative manifests: every Trigger (as a {@link TriggerRule}) and the
 * delivery settings of Brokers and Triggers. Other kinds in the files (sources, Services) are skipped.
 *
 * <p>This is how the embedded mode routes by the same filters as the cluster: the manifests under
 * {@code knative/base} are copied onto the classpath under {@code knative/}, listed by their
 * {@code kustomization.yaml}, and read here. Filters the in-process router cannot evaluate (CESQL) fail at
 * load time, naming the Trigger, rather than silently matching nothing.
 */
public final class KnativeTriggers {

    /** Classpath folder holding the manifests and their {@code kustomization.yaml}. */
    public static final String CLASSPATH_FOLDER = "knative";

    private static final Set<String> DIALECTS = Set.of("exact", "prefix", "suffix", "all", "any", "not", "cesql");

    private final List<TriggerRule> triggers;
    private final Map<String, DeliverySpec> brokerDelivery;
    private final Map<String, DeliverySpec> triggerDelivery;
    private final Set<String> brokers;

    private KnativeTriggers(List<TriggerRule> triggers, Map<String, DeliverySpec> brokerDelivery,
            Map<String, DeliverySpec> triggerDelivery, Set<String> brokers) {
        this.triggers = List.copyOf(triggers);
        this.brokerDelivery = Map.copyOf(brokerDelivery);
        this.triggerDelivery = Map.copyOf(triggerDelivery);
        this.brokers = Set.copyOf(brokers);
    }

    /** Reads the manifests listed by {@code knative/kustomization.yaml} on this library's classpath. */
    public static KnativeTriggers fromClasspath() {
        return fromClasspath(KnativeTriggers.class.getClassLoader(), CLASSPATH_FOLDER);
    }

    /**
     * Reads the manifests listed by {@code <folder>/kustomization.yaml} through {@code loader}. A classpath
     * folder cannot be listed portably (it may be inside a jar), so the kustomization is the index.
     *
     * @throws IllegalStateException if the kustomization or a file it lists is missing
     * @throws IllegalArgumentException if a manifest is malformed or uses an unsupported filter
     */
    public static KnativeTriggers fromClasspath(ClassLoader loader, String folder) {
        String base = folder.endsWith("/") ? folder : folder + "/";
        String kustomization = base + "kustomization.yaml";
        String index = readResource(loader, kustomization)
                .orElseThrow(() -> new IllegalStateException("no " + kustomization
                        + " on the classpath: cannot tell which Knative manifests to read"));
        Map<String, String> documents = new LinkedHashMap<>();
        for (String resource : kustomizationResources(kustomization, index)) {
            String path = base + resource;
            documents.put(path, readResource(loader, path).orElseThrow(() -> new IllegalStateException(
                    kustomization + " lists '" + resource + "' but " + path + " is not on the classpath")));
        }
        return parse(documents);
    }

    /**
     * Reads the manifests in {@code directory}: the files its {@code kustomization.yaml} lists (following
     * listed sub-directories), or every {@code *.yaml}/{@code *.yml} file in name order if there is none.
     */
    public static KnativeTriggers fromDirectory(Path directory) {
        Map<String, String> documents = new LinkedHashMap<>();
        collect(directory, documents);
        return parse(documents);
    }

    /**
     * Parses manifest texts (each may hold several YAML documents), keyed by where they came from; the key
     * is only used in error messages.
     */
    public static KnativeTriggers parse(Map<String, String> manifestsByOrigin) {
        List<TriggerRule> triggers = new ArrayList<>();
        Map<String, DeliverySpec> brokerDelivery = new LinkedHashMap<>();
        Map<String, DeliverySpec> triggerDelivery = new LinkedHashMap<>();
        Set<String> brokers = new java.util.LinkedHashSet<>();
        Set<String> triggerNames = new java.util.HashSet<>();
        manifestsByOrigin.forEach((origin, text) -> {
            for (Map<String, Object> doc : documents(origin, text)) {
                String kind = string(doc.get("kind"));
                String apiVersion = string(doc.get("apiVersion"));
                if (apiVersion == null || !apiVersion.startsWith("eventing.knative.dev/")) {
                    continue;
                }
                String name = string(map(doc.get("metadata")).get("name"));
                if ("Trigger".equals(kind)) {
                    String where = origin + ": Trigger '" + name + "'";
                    if (name == null) {
                        throw new IllegalArgumentException(origin + ": a Trigger has no metadata.name");
                    }
                    if (!triggerNames.add(name)) {
                        throw new IllegalArgumentException(where + " is defined twice");
                    }
                    Map<String, Object> spec = map(doc.get("spec"));
                    triggers.add(trigger(where, name, spec));
                    if (spec.get("delivery") != null) {
                        triggerDelivery.put(name, delivery(where, map(spec.get("delivery"))));
                    }
                } else if ("Broker".equals(kind)) {
                    if (name == null) {
                        throw new IllegalArgumentException(origin + ": a Broker has no metadata.name");
                    }
                    brokers.add(name);
                    Map<String, Object> spec = map(doc.get("spec"));
                    if (spec.get("delivery") != null) {
                        brokerDelivery.put(name, delivery(origin + ": Broker '" + name + "'", map(spec.get("delivery"))));
                    }
                }
            }
        });
        return new KnativeTriggers(triggers, brokerDelivery, triggerDelivery, brokers);
    }

    /** Every Trigger, in manifest order. */
    public List<TriggerRule> triggers() {
        return triggers;
    }

    /** The Trigger named {@code name}. */
    public Optional<TriggerRule> trigger(String name) {
        return triggers.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The Triggers whose filters {@code event} passes, i.e. where a Broker would deliver it. */
    public List<TriggerRule> matching(CloudEvent event) {
        return triggers.stream().filter(t -> t.matches(event)).toList();
    }

    /** Names of the Brokers defined in the manifests. */
    public Set<String> brokers() {
        return brokers;
    }

    /** The {@code spec.delivery} of Broker {@code broker}, if it has one. */
    public Optional<DeliverySpec> brokerDelivery(String broker) {
        return Optional.ofNullable(brokerDelivery.get(broker));
    }

    /**
     * How deliveries through {@code trigger} are retried: the Trigger's own {@code spec.delivery}, else its
     * Broker's, else {@link DeliverySpec#DEFAULT}.
     */
    public DeliverySpec deliveryFor(TriggerRule trigger) {
        DeliverySpec own = triggerDelivery.get(trigger.name());
        if (own != null) {
            return own;
        }
        return brokerDelivery(trigger.broker()).orElse(DeliverySpec.DEFAULT);
    }

    // ---- reading files ----

    private static void collect(Path directory, Map<String, String> documents) {
        Path kustomization = directory.resolve("kustomization.yaml");
        try {
            if (Files.isRegularFile(kustomization)) {
                String index = Files.readString(kustomization, StandardCharsets.UTF_8);
                for (String resource : kustomizationResources(kustomization.toString(), index)) {
                    Path path = directory.resolve(resource).normalize();
                    if (Files.isDirectory(path)) {
                        collect(path, documents);
                    } else if (Files.isRegularFile(path)) {
                        documents.put(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
                    } else {
                        throw new IllegalStateException(kustomization + " lists '" + resource + "' but "
                                + path + " does not exist");
                    }
                }
                return;
            }
            if (!Files.isDirectory(directory)) {
                throw new IllegalStateException("Knative manifest directory " + directory + " does not exist");
            }
            try (Stream<Path> files = Files.list(directory)) {
                for (Path path : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .sorted().toList()) {
                    documents.put(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Knative manifests in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> readResource(ClassLoader loader, String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + path + ": " + e.getMessage(), e);
        }
    }

    private static List<String> kustomizationResources(String origin, String text) {
        List<Map<String, Object>> docs = documents(origin, text);
        if (docs.isEmpty() || !(docs.getFirst().get("resources") instanceof List<?> resources)) {
            throw new IllegalArgumentException(origin + " has no 'resources' list");
        }
        List<String> names = new ArrayList<>();
        for (Object r : resources) {
            if (!(r instanceof String s) || s.isBlank()) {
                throw new IllegalArgumentException(origin + ": resources entry '" + r + "' is not a file name");
            }
            names.add(s.trim());
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String origin, String text) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            for (Object doc : yaml.loadAll(text)) {
                if (doc == null) {
                    continue;
                }
                if (!(doc instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException(origin + ": a YAML document is not a mapping");
                }
                out.add((Map<String, Object>) m);
            }
        } catch (YAMLException e) {
            throw new IllegalArgumentException(origin + " is not valid YAML: " + e.getMessage(), e);
        }
        return out;
    }

    // ---- Triggers ----

    private static TriggerRule trigger(String where, String name, Map<String, Object> spec) {
        String broker = string(spec.get("broker"));
        if (broker == null) {
            broker = string(map(spec.get("brokerRef")).get("name"));
        }
        if (broker == null) {
            throw new IllegalArgumentException(where + " names no broker (spec.broker)");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        Map<String, Object> filter = map(spec.get("filter"));
        map(filter.get("attributes")).forEach((key, value) -> {
            if (!(value instanceof String s)) {
                throw new IllegalArgumentException(where + ": spec.filter.attributes." + key
                        + " must be a string (quote it in YAML), got " + value);
            }
            attributes.put(key, s);
        });
        List<Filter> filters = new ArrayList<>();
        Object rawFilters = spec.get("filters");
        if (rawFilters != null) {
            if (!(rawFilters instanceof List<?> list)) {
                throw new IllegalArgumentException(where + ": spec.filters must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                filters.add(filter(where, "spec.filters[" + i + "]", list.get(i)));
            }
        }
        Map<String, Object> subscriber = map(spec.get("subscriber"));
        Map<String, Object> ref = map(subscriber.get("ref"));
        String uri = string(subscriber.get("uri"));
        String service = string(ref.get("name"));
        String path = "/";
        if (uri != null) {
            URI parsed;
            try {
                parsed = URI.create(uri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": spec.subscriber.uri '" + uri + "' is not a URI", e);
            }
            if (parsed.getRawPath() != null && !parsed.getRawPath().isEmpty()) {
                path = parsed.getRawPath();
            }
            if (service == null && parsed.getHost() != null) {
                // A Knative Service URL is http://<service>.<namespace>.svc...: its first label names it.
                service = parsed.getHost().split("\\.", 2)[0];
            }
        }
        if (service == null) {
            throw new IllegalArgumentException(where + " has no subscriber (spec.subscriber.ref.name or an absolute uri)");
        }
        return new TriggerRule(name, broker, attributes, filters, service, path);
    }

    private static Filter filter(String where, String at, Object raw) {
        if (!(raw instanceof Map<?, ?> expression) || expression.size() != 1) {
            throw new IllegalArgumentException(where + ": " + at + " must be a mapping with exactly one of "
                    + "exact, prefix, suffix, all, any, not; got " + raw);
        }
        Map.Entry<?, ?> only = expression.entrySet().iterator().next();
        String dialect = String.valueOf(only.getKey());
        Object body = only.getValue();
        if (!DIALECTS.contains(dialect)) {
            throw new IllegalArgumentException(where + ": " + at + " uses unknown filter dialect '" + dialect
                    + "' (supported: exact, prefix, suffix, all, any, not)");
        }
        String here = at + "." + dialect;
        return switch (dialect) {
            case "exact" -> new Filter.Exact(attributeMap(where, here, body));
            case "prefix" -> new Filter.Prefix(attributeMap(where, here, body));
            case "suffix" -> new Filter.Suffix(attributeMap(where, here, body));
            case "all" -> new Filter.All(nested(where, here, body));
            case "any" -> new Filter.Any(nested(where, here, body));
            case "not" -> new Filter.Not(filter(where, here, body));
            case "cesql" -> throw new IllegalArgumentException(where + ": " + at
                    + " uses the 'cesql' filter dialect, which the in-process router cannot evaluate; "
                    + "express it with exact, prefix, suffix, all, any or not");
            default -> throw new IllegalStateException("unreachable: " + dialect);
        };
    }

    private static Map<String, String> attributeMap(String where, String at, Object body) {
        if (!(body instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + at + " must map at least one attribute to a value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (!(k instanceof String key) || key.isEmpty() || !(v instanceof String value) || value.isEmpty()) {
                throw new IllegalArgumentException(where + ": " + at + " entry '" + k + ": " + v
                        + "' must have a non-empty attribute name and a non-empty string value");
            }
            out.put(key, value);
        });
        return out;
    }

    private static List<Filter> nested(String where, String at, Object body) {
        if (!(body instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + at + " must list at least one filter expression");
        }
        List<Filter> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(filter(where, at + "[" + i + "]", list.get(i)));
        }
        return out;
    }

    // ---- delivery ----

    private static DeliverySpec delivery(String where, Map<String, Object> delivery) {
        Object retryValue = delivery.get("retry");
        int retry;
        if (retryValue == null) {
            retry = 0; // Knative: no retry field means no retries.
        } else if (retryValue instanceof Integer i && i >= 0) {
            retry = i;
        } else {
            throw new IllegalArgumentException(where + ": spec.delivery.retry must be a non-negative integer, got " + retryValue);
        }
        String policyText = string(delivery.get("backoffPolicy"));
        DeliverySpec.BackoffPolicy policy;
        if (policyText == null) {
            policy = DeliverySpec.BackoffPolicy.EXPONENTIAL; // Knative's default policy
        } else {
            try {
                policy = DeliverySpec.BackoffPolicy.valueOf(policyText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": spec.delivery.backoffPolicy '" + policyText
                        + "' is neither linear nor exponential", e);
            }
        }
        String delayText = string(delivery.get("backoffDelay"));
        Duration delay = DeliverySpec.DEFAULT.backoffDelay();
        if (delayText != null) {
            try {
                delay = Duration.parse(delayText);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ": spec.delivery.backoffDelay '" + delayText
                        + "' is not an ISO-8601 duration such as PT1S", e);
            }
        }
        Map<String, Object> deadLetter = map(delivery.get("deadLetterSink"));
        String deadLetterService = string(map(deadLetter.get("ref")).get("name"));
        String deadLetterPath = string(deadLetter.get("uri"));
        return new DeliverySpec(retry, policy, delay, deadLetterService, deadLetterPath);
    }

    // ---- YAML helpers ----

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Collections.emptyMap();
    }

    private static String string(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
