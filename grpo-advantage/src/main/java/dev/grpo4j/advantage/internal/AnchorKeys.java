package dev.grpo4j.advantage.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Canonical, hashable forms of GiGPO anchor states, so that two anchors fall into one step group
 * exactly when verl-agent's {@code to_hashable} would make them equal.
 *
 * <ul>
 *   <li>Strings stay strings; a {@link Character} is a one-character string.
 *   <li>Numbers compare by exact value across types, as in Python: {@code 1}, {@code 1L}, {@code
 *       1.0} and {@code 1.0f} are one key, while {@code 0.1f} (whose exact value is 0.100000001...)
 *       and {@code 0.1} are two. {@code -0.0} equals {@code 0}. Booleans are the numbers 1 and 0
 *       (Python's {@code True == 1}). NaN is rejected: it is never equal to itself.
 *   <li>Arrays, primitive or not, are flattened element-wise (numpy's {@code tuple(x.flatten())}),
 *       so {@code int[][]{{1, 2}, {3}}} equals {@code int[]{1, 2, 3}}; an array equals a list with
 *       the same elements.
 *   <li>Lists keep their nesting, element by element.
 *   <li>Maps equal maps with the same keys and equal values, whatever their order (key-sorted pairs
 *       in verl-agent); a map never equals a list.
 * </ul>
 *
 * Anything else (null, sets, arbitrary objects) is rejected rather than compared by identity.
 */
public final class AnchorKeys {

    private AnchorKeys() {}

    /** A canonical map, kept apart from lists of pairs. */
    private record MapKey(Map<Object, Object> entries) {}

    /**
     * Returns the canonical key of an anchor state.
     *
     * @param anchor the anchor state
     * @return a value whose {@code equals} and {@code hashCode} implement anchor identity
     * @throws IllegalArgumentException if the anchor is null, contains null or NaN, or has an
     *     unsupported type; the message is a predicate ("is null ...") for the caller to prefix
     *     with the anchor's position
     */
    public static Object canonical(Object anchor) {
        if (anchor instanceof String) {
            return anchor;
        }
        if (anchor == null) {
            throw new IllegalArgumentException("is null (every step needs an anchor state)");
        }
        return canonicalValue(anchor);
    }

    private static Object canonicalValue(Object x) {
        if (x == null) {
            throw new IllegalArgumentException("contains null");
        }
        if (x instanceof String) {
            return x;
        }
        if (x instanceof Character) {
            return x.toString();
        }
        if (x instanceof Boolean) {
            return ((Boolean) x) ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (x instanceof Number) {
            return number((Number) x);
        }
        if (x.getClass().isArray()) {
            List<Object> flat = new ArrayList<>();
            flatten(x, flat);
            return Collections.unmodifiableList(flat);
        }
        if (x instanceof List) {
            List<?> list = (List<?>) x;
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(canonicalValue(e));
            }
            return Collections.unmodifiableList(out);
        }
        if (x instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) x;
            Map<Object, Object> out = new HashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object key = canonicalValue(e.getKey());
                if (out.put(key, canonicalValue(e.getValue())) != null) {
                    throw new IllegalArgumentException(
                            "is a map with two keys equal to " + e.getKey());
                }
            }
            return new MapKey(Collections.unmodifiableMap(out));
        }
        throw new IllegalArgumentException(
                "has unsupported type "
                        + x.getClass().getName()
                        + "; use strings, numbers, arrays, lists or maps");
    }

    private static void flatten(Object array, List<Object> out) {
        int n = Array.getLength(array);
        for (int i = 0; i < n; i++) {
            Object e = Array.get(array, i);
            if (e != null && e.getClass().isArray()) {
                flatten(e, out);
            } else {
                out.add(canonicalValue(e));
            }
        }
    }

    private static Object number(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException("contains NaN, which equals nothing");
            }
            if (Double.isInfinite(d)) {
                return d;
            }
            return new BigDecimal(d).stripTrailingZeros();
        }
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return BigDecimal.valueOf(n.longValue()).stripTrailingZeros();
        }
        if (n instanceof BigInteger) {
            return new BigDecimal((BigInteger) n).stripTrailingZeros();
        }
        if (n instanceof BigDecimal) {
            return ((BigDecimal) n).stripTrailingZeros();
        }
        throw new IllegalArgumentException("has unsupported number type " + n.getClass().getName());
    }
}
