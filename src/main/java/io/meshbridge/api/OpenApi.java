package io.meshbridge.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi.json}: the API's OpenAPI 3 document, the resource {@value #RESOURCE} of the jar
 * (written by hand; a test checks that it names every operation of the worker's router and no other).
 */
public final class OpenApi {

    /** The classpath resource of the document. */
    public static final String RESOURCE = "/api/openapi.json";

    private OpenApi() {
    }

    /** The document, read from the jar. */
    public static JsonNode document() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " missing from the jar");
            }
            return ApiJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds {@code GET /openapi.json} to {@code router}. */
    public static void register(ApiRouter router) {
        JsonNode doc = document();
        router.add("GET", "/openapi.json", "This document.", request -> ApiResponse.ok(doc));
    }
}
