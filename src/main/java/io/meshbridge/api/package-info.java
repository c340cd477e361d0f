/**
 * The worker's HTTP API below {@code /api}: a small router of JSON operations ({@link ApiRouter}), its bearer
 * token check ({@link ApiAuth}) and the operations themselves (history, connectors, dead letters). Builds on
 * {@code io.meshbridge.events} and {@code io.meshbridge.camel}; the worker ({@code io.meshbridge.app}) wires it
 * to its HTTP server.
 */
package io.meshbridge.api;
