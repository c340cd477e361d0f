package io.meshbridge.ingest;

import io.meshbridge.events.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a Prometheus Alertmanager webhook body (version 4) into events: each alert becomes one event
 * {@code user.alert.<alertname>} (the {@code alertname} label made one subject token by
 * {@link TopicRules#sanitizeToken}) whose data holds the alert's {@code status}, {@code labels},
 * {@code annotations}, {@code startsAt}, {@code endsAt}, {@code generatorURL} and {@code fingerprint}, and the
 * group's {@code receiver}, {@code groupKey}, {@code externalURL} and {@code truncatedAlerts} (members the body
 * lacks are {@code null}). Its id, {@code alertmanager:<fingerprint>:<status>:<startsAt>}, makes a repeated
 * notification of the same alert state stored once. Stateless.
 */
final class AlertmanagerEvents {

    /** One alert as an event, with its topic (after {@code user.}) and id. */
    record Alert(String topic, String id, Event event) {
    }

    private AlertmanagerEvents() {
    }

    /**
     * The events of {@code body}, in the order of its alerts.
     *
     * @throws IngestFailure 400 naming what is missing or of the wrong kind
     */
    static List<Alert> alerts(Map<String, Object> body, String node) throws IngestFailure {
        if (!(body.get("alerts") instanceof List<?> alerts)) {
            throw new IngestFailure(400, "not an Alertmanager webhook: 'alerts' must be an array");
        }
        List<Alert> out = new ArrayList<>(alerts.size());
        for (int i = 0; i < alerts.size(); i++) {
            if (!(alerts.get(i) instanceof Map<?, ?> alert)) {
                throw new IngestFailure(400, "alerts[" + i + "] must be an object");
            }
            Object labels = alert.get("labels");
            if (!(labels instanceof Map<?, ?> labelMap)) {
                throw new IngestFailure(400, "alerts[" + i + "].labels must be an object");
            }
            String status = text(alert, "status", i);
            String startsAt = text(alert, "startsAt", i);
            String fingerprint = text(alert, "fingerprint", i);
            Object alertname = labelMap.get("alertname");
            String topic = TopicRules.ALERT_PREFIX
                    + TopicRules.sanitizeToken(alertname instanceof String s ? s : null);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("status", status);
            data.put("labels", labels);
            data.put("annotations", alert.get("annotations"));
            data.put("startsAt", startsAt);
            data.put("endsAt", alert.get("endsAt"));
            data.put("generatorURL", alert.get("generatorURL"));
            data.put("fingerprint", fingerprint);
            data.put("receiver", body.get("receiver"));
            data.put("groupKey", body.get("groupKey"));
            data.put("externalURL", body.get("externalURL"));
            data.put("truncatedAlerts", body.get("truncatedAlerts"));
            String id = "alertmanager:" + fingerprint + ":" + status + ":" + startsAt;
            out.add(new Alert(topic, id, Event.user(node, topic, data)));
        }
        return out;
    }

    private static String text(Map<?, ?> alert, String key, int index) throws IngestFailure {
        if (!(alert.get(key) instanceof String s) || s.isEmpty()) {
            throw new IngestFailure(400, "alerts[" + index + "]." + key + " must be a non-empty string");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IngestFailure(400, "alerts[" + index + "]." + key + " must be printable ASCII without"
                        + " spaces");
            }
        }
        if (s.length() > 128) {
            throw new IngestFailure(400, "alerts[" + index + "]." + key + " is longer than 128 characters");
        }
        return s;
    }
}
