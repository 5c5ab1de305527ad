package org.iotpcap.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * JSON read by Jackson into plain Java values (maps in key order, lists, Long for integers, Double, String,
 * Boolean, null), for tests that walk a document rather than a tree of nodes.
 */
public final class TestJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private TestJson() {}

    public static Object parse(String json) {
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(Object o) {
        return (List<Object>) o;
    }

    /** The objects of the array under {@code key} of the JSON object in {@code file} (a generator's record). */
    public static List<Map<String, Object>> objects(Path file, String key) throws IOException {
        return array(object(parse(Files.readString(file))).get(key)).stream().map(TestJson::object).toList();
    }
}
