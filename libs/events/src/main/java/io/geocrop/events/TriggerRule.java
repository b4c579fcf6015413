package io.geocrop.events;

import io.cloudevents.CloudEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Knative Trigger as read from the manifests: which events of which Broker go to which service.
 *
 * @param name              the Trigger's {@code metadata.name}
 * @param broker            the Broker it subscribes to ({@code spec.broker})
 * @param attributes        {@code spec.filter.attributes}: exact matches on context attributes or extensions;
 *                          an empty value matches any value the event carries; empty map = no filter
 * @param filters           {@code spec.filters} (new filters dialects), all of which must match; when present
 *                          they replace {@code attributes}, as in Knative
 * @param subscriberService name of the Knative Service the Trigger delivers to
 * @param subscriberPath    the path on that service ({@code /} unless the Trigger's subscriber has a uri)
 */
public record TriggerRule(
        String name,
        String broker,
        Map<String, String> attributes,
        List<Filter> filters,
        String subscriberService,
        String subscriberPath) {

    /** Copies the collections; requires a name, a broker and a subscriber service. */
    public TriggerRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(broker, "broker of trigger " + name);
        Objects.requireNonNull(subscriberService, "subscriber service of trigger " + name);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes == null ? Map.of() : attributes));
        filters = filters == null ? List.of() : List.copyOf(filters);
        subscriberPath = subscriberPath == null || subscriberPath.isEmpty() ? "/" : subscriberPath;
    }

    /**
     * True if the Broker would deliver {@code event} through this Trigger: with {@code spec.filters}, every
     * expression matches; otherwise every {@code spec.filter.attributes} entry equals the event's attribute
     * (an empty value only requires the attribute to be present). No filter at all matches every event.
     */
    public boolean matches(CloudEvent event) {
        if (!filters.isEmpty()) {
            return filters.stream().allMatch(f -> f.test(event));
        }
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            Optional<String> actual = EventAttributes.get(event, e.getKey());
            if (actual.isEmpty() || (!e.getValue().isEmpty() && !e.getValue().equals(actual.get()))) {
                return false;
            }
        }
        return true;
    }
}
