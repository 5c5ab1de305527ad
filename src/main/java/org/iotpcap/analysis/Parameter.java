package org.iotpcap.analysis;

import java.util.List;
import java.util.Locale;

/**
 * A declared parameter of an analysis: {@code -- param: NAME TYPE DEFAULT  description}.
 *
 * <p>Types: {@code addresses} (a DNS name resolved from the capture's own answers, {@code local}, {@code any},
 * or comma-separated IPv4/IPv6 addresses; used in SQL as the macro {@code in_NAME(column)}), {@code int},
 * {@code bool}, {@code text}, and {@code choice(a|b|c)}. Scalars are substituted as {@code ${NAME}}, validated
 * by type and quoted, so a value cannot change the query's shape.
 */
public record Parameter(String name, String type, String defaultValue, String description) {
    public List<String> choices() {
        if (!type.startsWith("choice(")) {
            return List.of();
        }
        return List.of(type.substring(7, type.length() - 1).split("\\|"));
    }

    /** Checks a value against the type; returns the SQL literal to substitute (not for addresses). */
    public String literal(String value) {
        String t = type.toLowerCase(Locale.ROOT);
        switch (t) {
            case "int" -> {
                try {
                    return Long.toString(Long.parseLong(value.strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("parameter " + name + " must be an integer, not '" + value + "'");
                }
            }
            case "bool" -> {
                String v = value.strip().toLowerCase(Locale.ROOT);
                if (v.equals("true") || v.equals("1") || v.equals("yes")) {
                    return "true";
                }
                if (v.equals("false") || v.equals("0") || v.equals("no")) {
                    return "false";
                }
                throw new IllegalArgumentException("parameter " + name + " must be true or false, not '" + value + "'");
            }
            case "text" -> {
                return "'" + value.replace("'", "''") + "'";
            }
            default -> {
                if (t.startsWith("choice(")) {
                    if (!choices().contains(value)) {
                        throw new IllegalArgumentException("parameter " + name + " must be one of " + choices()
                                + ", not '" + value + "'");
                    }
                    return "'" + value.replace("'", "''") + "'";
                }
                throw new IllegalStateException("type " + type + " has no literal");
            }
        }
    }

    public boolean isAddresses() {
        return type.equals("addresses");
    }
}
