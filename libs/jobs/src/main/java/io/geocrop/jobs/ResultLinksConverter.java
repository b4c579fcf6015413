package io.geocrop.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import io.micronaut.core.convert.ConversionContext;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's result links (name to object key or URL) as a JSON object in the {@code results} text column. Written sorted
 * by name, so the same links always give the same text; read back unmodifiable.
 */
@Singleton
final class ResultLinksConverter implements AttributeConverter<Map<String, String>, String> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> LINKS = new TypeReference<>() {};

    @Override
    public @Nullable String convertToPersistedValue(@Nullable Map<String, String> links, ConversionContext context) {
        if (links == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(new TreeMap<>(links));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("result links cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public @Nullable Map<String, String> convertToEntityValue(@Nullable String json, ConversionContext context) {
        if (json == null) {
            return null;
        }
        try {
            return Collections.unmodifiableMap(JSON.readValue(json, LINKS));
        } catch (JsonProcessingException e) {
            throw new JobStoreException("stored result links are not a JSON object of strings: " + json, e);
        }
    }
}
