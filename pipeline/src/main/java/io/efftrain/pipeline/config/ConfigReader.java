package io.efftrain.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.efftrain.pipeline.error.EfftrainException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Typed access to a resolved config. Every failure names the key, where its value came from (file and line, or
 * the command-line override) and what was expected, because the user has to find and fix it.
 */
public final class ConfigReader {
    private final Config config;
    private final String prefix;

    public ConfigReader(Config config) {
        this(config, "");
    }

    private ConfigReader(Config config, String prefix) {
        this.config = config;
        this.prefix = prefix;
    }

    /** A reader of the sub-tree at {@code path}; keys in errors stay absolute. */
    public ConfigReader at(String path) {
        return new ConfigReader(config.getConfig(path), prefix + path + ".");
    }

    /**
     * The list of objects at {@code key}, each as a reader whose keys read {@code key[i].name} in errors (a
     * network's layers, for example).
     */
    public List<ConfigReader> objects(String key) {
        List<? extends Config> list = read(key, "a list of objects", () -> config.getConfigList(key));
        List<ConfigReader> readers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            readers.add(new ConfigReader(list.get(i), prefix + key + "[" + i + "]."));
        }
        return readers;
    }

    /** Whether {@code key} is set (null counts as not set). */
    public boolean has(String key) {
        return config.hasPath(key);
    }

    /** The keys of this object, in no particular order. */
    public java.util.Set<String> keys() {
        return config.root().keySet();
    }

    /** Where this object was set (file and line, or the --set override), for messages about it as a whole. */
    public String origin() {
        return config.origin().description();
    }

    /** The key prefix errors name, without its trailing dot ({@code model.layers[2]}). */
    public String path() {
        return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    public String string(String key) {
        return read(key, "a string", () -> config.getString(key));
    }

    public int positiveInt(String key) {
        int value = read(key, "a whole number", () -> config.getInt(key));
        if (value <= 0) {
            throw invalid(key, "a whole number above 0", String.valueOf(value));
        }
        return value;
    }

    public long longValue(String key) {
        return read(key, "a whole number", () -> config.getLong(key));
    }

    public double positiveDouble(String key) {
        double value = read(key, "a number", () -> config.getDouble(key));
        if (!(value > 0) || Double.isInfinite(value)) {
            throw invalid(key, "a finite number above 0", String.valueOf(value));
        }
        return value;
    }

    public double nonNegativeDouble(String key) {
        double value = read(key, "a number", () -> config.getDouble(key));
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw invalid(key, "a finite number of at least 0", String.valueOf(value));
        }
        return value;
    }

    /** A positive whole number, or empty where the value is {@code null} (the limit is off). */
    public OptionalLong optionalPositiveLong(String key) {
        if (config.getIsNull(key)) {
            return OptionalLong.empty();
        }
        long value = read(key, "a whole number or null", () -> config.getLong(key));
        if (value <= 0) {
            throw invalid(key, "a whole number above 0, or null", String.valueOf(value));
        }
        return OptionalLong.of(value);
    }

    /** A positive number, or empty where the value is {@code null}. */
    public OptionalDouble optionalPositiveDouble(String key) {
        if (config.getIsNull(key)) {
            return OptionalDouble.empty();
        }
        double value = read(key, "a number or null", () -> config.getDouble(key));
        if (!(value > 0) || Double.isInfinite(value)) {
            throw invalid(key, "a finite number above 0, or null", String.valueOf(value));
        }
        return OptionalDouble.of(value);
    }

    /** A positive duration such as {@code 90s} or {@code 7m}, or empty where the value is {@code null}. */
    public Optional<Duration> optionalDuration(String key) {
        if (config.getIsNull(key)) {
            return Optional.empty();
        }
        Duration value = duration(key);
        return Optional.of(value);
    }

    public Duration duration(String key) {
        Duration value = read(key, "a duration such as 90s or 7m", () -> config.getDuration(key));
        if (value.isNegative() || value.isZero()) {
            throw invalid(key, "a duration above zero", value.toString());
        }
        return value;
    }

    /** A list of values of any type, as HOCON values (a search space's candidates). */
    public List<ConfigValue> values(String key) {
        return new ArrayList<>(read(key, "a list", () -> config.getList(key)));
    }

    public List<String> strings(String key) {
        return read(key, "a list of strings", () -> config.getStringList(key));
    }

    public List<Integer> positiveInts(String key) {
        List<Integer> values = read(key, "a list of whole numbers", () -> config.getIntList(key));
        for (int v : values) {
            if (v <= 0) {
                throw invalid(key, "whole numbers above 0", values.toString());
            }
        }
        return values;
    }

    /** The value read by {@code reader}, or empty where the value is {@code null} (the option is off). */
    public <T> Optional<T> optional(String key, java.util.function.Function<String, T> reader) {
        return config.getIsNull(key) ? Optional.empty() : Optional.of(reader.apply(key));
    }

    public boolean bool(String key) {
        return read(key, "true or false", () -> config.getBoolean(key));
    }

    /** Any finite number. */
    public double number(String key) {
        double value = read(key, "a number", () -> config.getDouble(key));
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw invalid(key, "a finite number", String.valueOf(value));
        }
        return value;
    }

    /** A fraction in [0, 1). */
    public double fraction(String key) {
        double value = read(key, "a number", () -> config.getDouble(key));
        if (!(value >= 0 && value < 1)) {
            throw invalid(key, "a fraction from 0 (inclusive) to 1 (exclusive)", String.valueOf(value));
        }
        return value;
    }

    /** A non-empty list of distinct whole numbers of at least 0 (indices). */
    public List<Integer> indices(String key) {
        List<Integer> values = read(key, "a list of whole numbers", () -> config.getIntList(key));
        if (values.isEmpty() || values.stream().anyMatch(v -> v < 0) || values.stream().distinct().count() != values.size()) {
            throw invalid(key, "a non-empty list of distinct whole numbers of at least 0", values.toString());
        }
        return values;
    }

    /** A string-to-string map whose keys are not ours (for example Spark's own properties). */
    public Map<String, String> passThroughMap(String key) {
        Config sub = read(key, "an object", () -> config.getConfig(key));
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : sub.entrySet()) {
            Object raw = e.getValue().unwrapped();
            String name = unquote(e.getKey());
            if (raw instanceof Map || raw instanceof List) {
                throw invalid(key + ".\"" + name + "\"", "a plain value", String.valueOf(raw));
            }
            out.put(name, String.valueOf(raw));
        }
        return out;
    }

    /** One of an enum's constants, written in lower case with dashes ({@code linear-to-zero}). */
    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        String raw = string(key);
        String normalised = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(normalised)) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants())
                .map(ConfigReader::configName)
                .collect(Collectors.joining(", "));
        throw invalid(key, "one of " + allowed, raw);
    }

    /** The spelling of an enum constant in config files. */
    public static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** An error for a value that has the right type but is not allowed. */
    public EfftrainException invalid(String key, String expected, String actual) {
        return EfftrainException.badConfig(String.format(
                "%s: key '%s%s' must be %s, but is %s. Fix the value in that file or with --set %s%s=...",
                origin(key), prefix, key, expected, actual, prefix, key));
    }

    private String origin(String key) {
        return originOf(config, key);
    }

    /** Where a key's value was set (file and line, or the --set override), null values included. */
    static String originOf(Config config, String path) {
        ConfigValue value = config.root();
        for (String part : ConfigUtil.splitPath(path)) {
            if (!(value instanceof ConfigObject object) || !object.containsKey(part)) {
                return "config";
            }
            value = object.get(part);
        }
        return value.origin().description();
    }

    private <T> T read(String key, String expected, ValueSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (ConfigException.Missing e) {
            throw EfftrainException.badConfig(String.format(
                    "config: key '%s%s' is missing; it must be %s.", prefix, key, expected));
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            String actual;
            try {
                actual = config.getValue(key).render();
            } catch (ConfigException inner) {
                actual = "unreadable";
            }
            throw invalid(key, expected, actual);
        }
    }

    private static String unquote(String key) {
        return key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")
                ? key.substring(1, key.length() - 1) : key;
    }

    /** Lists every leaf key of a config, nulls included (entrySet() skips them), for unknown-key checks. */
    static List<String> leafKeys(Config config) {
        List<String> keys = new ArrayList<>();
        collectLeaves(config.root(), new ArrayList<>(), keys);
        keys.sort(String::compareTo);
        return keys;
    }

    private static void collectLeaves(ConfigObject object, List<String> path, List<String> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            path.add(e.getKey());
            if (e.getValue() instanceof ConfigObject child && !child.isEmpty()) {
                collectLeaves(child, path, out);
            } else {
                out.add(ConfigUtil.joinPath(path));
            }
            path.remove(path.size() - 1);
        }
    }

    @FunctionalInterface
    private interface ValueSupplier<T> {
        T get();
    }
}
