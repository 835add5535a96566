package io.lifeboat.common.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.common.retention.RetentionPlan.Decision;
import io.lifeboat.common.retention.RetentionPlan.GroupPlan;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a {@link RetentionPlan} for the dry-run diff: a table for terminals and JSON for
 * {@code --json}. Times are shown in the policy's zone, with their offset, so the two 02:30 of a
 * fall-back night are told apart. Stateless and thread-safe.
 */
public final class RetentionPlanFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss xxx", Locale.ROOT);
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private RetentionPlanFormat() {
    }

    /**
     * The table: the policy, then per group a header line, one row per snapshot (newest first:
     * short id, local time, {@code keep}/{@code forget}, reasons) and the group's counts; then the
     * totals.
     */
    public static String table(RetentionPlan plan) {
        StringBuilder b = new StringBuilder();
        b.append("policy: ").append(plan.policy().describe()).append('\n');
        String timeHeader = "TIME (" + plan.policy().zone().getId() + ")";
        for (GroupPlan g : plan.groups()) {
            b.append('\n').append("group ").append(g.group()).append('\n');
            b.append(String.format(Locale.ROOT, "%-8s  %-25s  %-6s  %s%n", "ID", timeHeader, "ACTION", "REASONS"));
            for (Decision d : g.decisions()) {
                b.append(String.format(Locale.ROOT, "%-8s  %-25s  %-6s  %s%n",
                    d.snapshot().shortId(),
                    TIME.format(d.snapshot().time().atZone(plan.policy().zone())),
                    d.kept() ? "keep" : "forget",
                    d.reasons().stream().map(KeepReason::text).collect(Collectors.joining(", "))));
            }
            b.append(counts(g.keepCount(), g.forgetCount())).append('\n');
        }
        b.append('\n').append("total: ").append(counts(plan.keepCount(), plan.forgetCount())).append('\n');
        return b.toString();
    }

    private static String counts(long keep, long forget) {
        return "keep " + keep + ", forget " + forget;
    }

    /**
     * The JSON form: {@code {"policy":{"flags":[..],"description":..},"now":..,"keep":n,"forget":n,
     * "groups":[{"group":{..},"keep":n,"forget":n,"snapshots":[{"id":..,"time":..,"localTime":..,
     * "action":"keep","reasons":[{"rule":"daily","text":"daily 2026-03-04"}]}]}]}}.
     */
    public static String json(RetentionPlan plan) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode policy = root.putObject("policy");
        ArrayNode flags = policy.putArray("flags");
        plan.policy().toFlags().forEach(flags::add);
        policy.put("description", plan.policy().describe());
        root.put("now", plan.now().toString());
        root.put("keep", plan.keepCount());
        root.put("forget", plan.forgetCount());
        ArrayNode groups = root.putArray("groups");
        for (GroupPlan g : plan.groups()) {
            ObjectNode gn = groups.addObject();
            ObjectNode key = gn.putObject("group");
            putIfSet(key, "hostname", g.group().hostname());
            putIfSet(key, "sourceType", g.group().sourceType());
            putListIfSet(key, "paths", g.group().paths());
            putListIfSet(key, "tags", g.group().tags());
            gn.put("keep", g.keepCount());
            gn.put("forget", g.forgetCount());
            ArrayNode snaps = gn.putArray("snapshots");
            for (Decision d : g.decisions()) {
                ObjectNode sn = snaps.addObject();
                sn.put("id", d.snapshot().id());
                sn.put("time", d.snapshot().time().toString());
                sn.put("localTime", d.snapshot().time().atZone(plan.policy().zone()).toOffsetDateTime().toString());
                sn.put("action", d.kept() ? "keep" : "forget");
                ArrayNode reasons = sn.putArray("reasons");
                for (KeepReason r : d.reasons()) {
                    ObjectNode rn = reasons.addObject();
                    rn.put("rule", r.rule().label());
                    rn.put("text", r.text());
                }
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the retention plan as JSON", e);
        }
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static void putListIfSet(ObjectNode n, String field, List<String> values) {
        if (values != null) {
            ArrayNode a = n.putArray(field);
            values.forEach(a::add);
        }
    }
}
