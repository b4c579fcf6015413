package io.geocrop.events;

import io.cloudevents.CloudEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * One expression of a Trigger's {@code spec.filters} (the Knative "new filters" dialects). Attribute names
 * are CloudEvents context attributes or extensions; an attribute the event does not carry never matches.
 */
public sealed interface Filter {

    /** True if {@code event} passes this expression. */
    boolean test(CloudEvent event);

    /** {@code exact}: every listed attribute equals its value (case-sensitive). */
    record Exact(Map<String, String> attributes) implements Filter {
        /** Keeps the attributes in manifest order, unmodifiable. */
        public Exact {
            attributes = copy(attributes);
        }

        /** True if every listed attribute equals its value. */
        @Override
        public boolean test(CloudEvent event) {
            return all(event, attributes, String::equals);
        }
    }

    /** {@code prefix}: every listed attribute starts with its value. */
    record Prefix(Map<String, String> attributes) implements Filter {
        /** Keeps the attributes in manifest order, unmodifiable. */
        public Prefix {
            attributes = copy(attributes);
        }

        /** True if every listed attribute starts with its value. */
        @Override
        public boolean test(CloudEvent event) {
            return all(event, attributes, String::startsWith);
        }
    }

    /** {@code suffix}: every listed attribute ends with its value. */
    record Suffix(Map<String, String> attributes) implements Filter {
        /** Keeps the attributes in manifest order, unmodifiable. */
        public Suffix {
            attributes = copy(attributes);
        }

        /** True if every listed attribute ends with its value. */
        @Override
        public boolean test(CloudEvent event) {
            return all(event, attributes, String::endsWith);
        }
    }

    /** {@code all}: every nested expression matches. */
    record All(List<Filter> filters) implements Filter {
        /** Copies the nested expressions. */
        public All {
            filters = List.copyOf(filters);
        }

        /** True if every nested expression matches. */
        @Override
        public boolean test(CloudEvent event) {
            return filters.stream().allMatch(f -> f.test(event));
        }
    }

    /** {@code any}: at least one nested expression matches. */
    record Any(List<Filter> filters) implements Filter {
        /** Copies the nested expressions. */
        public Any {
            filters = List.copyOf(filters);
        }

        /** True if at least one nested expression matches. */
        @Override
        public boolean test(CloudEvent event) {
            return filters.stream().anyMatch(f -> f.test(event));
        }
    }

    /** {@code not}: the nested expression does not match. */
    record Not(Filter filter) implements Filter {
        /** True if the nested expression does not match. */
        @Override
        public boolean test(CloudEvent event) {
            return !filter.test(event);
        }
    }

    private static Map<String, String> copy(Map<String, String> attributes) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    private static boolean all(CloudEvent event, Map<String, String> attributes, BiPredicate<String, String> op) {
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            Optional<String> actual = EventAttributes.get(event, e.getKey());
            if (actual.isEmpty() || !op.test(actual.get(), e.getValue())) {
                return false;
            }
        }
        return true;
    }
}
