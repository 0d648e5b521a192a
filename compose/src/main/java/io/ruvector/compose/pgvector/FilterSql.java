package io.ruvector.compose.pgvector;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The search API's metadata filter ({@code {"lang": "en", "year": {"gte": 2020}, "tag": {"in": [...]}}},
 * already validated by the API or to be validated by it) as an SQL condition with parameters, so
 * that pgvector is asked the same question. Text values compare with the column's text form,
 * numbers and booleans with the column itself.
 *
 * @param sql    conditions joined by {@code AND}, or {@code TRUE}
 * @param params the values of its {@code ?}s, in order
 */
public record FilterSql(String sql, List<Object> params) {

    public static FilterSql of(JsonNode filter, String tenantColumn, String tenant) {
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (tenantColumn != null && tenant != null) {
            parts.add(PgTarget.quote(tenantColumn) + "::text = ?");
            params.add(tenant);
        }
        if (filter != null && !filter.isNull()) {
            if (!filter.isObject()) {
                throw new IllegalArgumentException("filter must be a JSON object of metadata column to condition");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                parts.add(condition(entry.getKey(), entry.getValue(), params));
            }
        }
        return new FilterSql(parts.isEmpty() ? "TRUE" : String.join(" AND ", parts), List.copyOf(params));
    }

    private static String condition(String column, JsonNode value, List<Object> params) {
        String quoted = PgTarget.quote(column);
        if (!value.isObject()) {
            return equality(quoted, value, params);
        }
        if (value.has("in")) {
            List<String> any = new ArrayList<>();
            value.get("in").forEach(v -> any.add(equality(quoted, v, params)));
            if (any.isEmpty()) {
                throw new IllegalArgumentException("filter 'in' for '" + column + "' is empty");
            }
            return "(" + String.join(" OR ", any) + ")";
        }
        List<String> bounds = new ArrayList<>();
        for (String op : List.of("gt", "gte", "lt", "lte")) {
            JsonNode bound = value.get(op);
            if (bound != null) {
                if (!bound.isNumber()) {
                    throw new IllegalArgumentException("range bound '" + op + "' for '" + column + "' must be a number");
                }
                bounds.add(quoted + switch (op) {
                    case "gt" -> " > ?";
                    case "gte" -> " >= ?";
                    case "lt" -> " < ?";
                    default -> " <= ?";
                });
                params.add(number(bound));
            }
        }
        if (bounds.isEmpty()) {
            throw new IllegalArgumentException("filter for '" + column + "' must be a value, {\"in\": [...]} or a range");
        }
        return String.join(" AND ", bounds);
    }

    private static String equality(String quoted, JsonNode value, List<Object> params) {
        if (value.isTextual()) {
            params.add(value.textValue());
            return quoted + "::text = ?";
        }
        if (value.isNumber()) {
            params.add(number(value));
            return quoted + " = ?";
        }
        if (value.isBoolean()) {
            params.add(value.booleanValue());
            return quoted + " = ?";
        }
        throw new IllegalArgumentException("filter value " + value + " must be a string, number or boolean");
    }

    private static Object number(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
    }
}
