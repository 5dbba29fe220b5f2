package io.efftrain.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import io.efftrain.pipeline.error.EfftrainException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Loads a run configuration: efftrain's defaults, then the user's file, then {@code --set key=value} overrides,
 * in that order of precedence. A key that the defaults do not declare is rejected (a typo would otherwise be
 * silently ignored and the run would use a default the user did not mean).
 */
public final class ConfigLoader {
    /** The one key whose children are not ours: Spark properties pass through unchanged. */
    private static final String PASS_THROUGH_PREFIX = "spark.conf.";
    private static final String DEFAULTS_RESOURCE = "io/efftrain/pipeline/defaults.conf";

    private ConfigLoader() {
    }

    /** efftrain's defaults alone. */
    public static Config defaults() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false).setOriginDescription("efftrain defaults"));
    }

    /**
     * Loads a config file with overrides.
     *
     * @param file a HOCON file, or {@code null} for the defaults only
     * @param overrides {@code key=value} pairs, HOCON syntax for the value
     */
    public static EfftrainConfig load(Path file, List<String> overrides) {
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw EfftrainException.badConfig("config file " + file + " does not exist or is not a file; "
                        + "pass the path of a HOCON file such as conf/fashion-mnist.conf.");
            }
            user = parse(() -> ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false)), file.toString());
        }
        for (String override : overrides) {
            user = parseOverride(override).withFallback(user);
        }
        return fromUserLayer(user);
    }

    /** Validates a user layer against the defaults and builds the typed config. */
    public static EfftrainConfig fromUserLayer(Config user) {
        Config defaults = defaults();
        rejectUnknownKeys(user, defaults);
        Config resolved;
        try {
            resolved = user.withFallback(defaults).resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
        } catch (ConfigException e) {
            throw EfftrainException.badConfig("config: " + e.getMessage());
        }
        return EfftrainConfig.of(resolved);
    }

    private static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw EfftrainException.badConfig("--set " + override + ": expected key=value, for example "
                    + "--set train.batch-size=128");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        String origin = "--set " + override;
        return parse(() -> ConfigFactory.parseString(key + " = " + hoconValue(value),
                ConfigParseOptions.defaults().setOriginDescription(origin)), origin);
    }

    /**
     * The value as HOCON. An unquoted value with {@code //} or {@code #} in it (a path such as
     * {@code hdfs://host/x} or {@code /data//set}) would be cut there as a comment, so it is taken as the string it
     * was typed as; quoted values, lists and objects are HOCON as they are.
     */
    static String hoconValue(String value) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        char first = value.charAt(0);
        boolean structured = first == '"' || first == '[' || first == '{';
        if (!structured && (value.contains("//") || value.contains("#"))) {
            return com.typesafe.config.ConfigUtil.quoteString(value);
        }
        return value;
    }

    private static Config parse(java.util.function.Supplier<Config> parser, String where) {
        try {
            return parser.get();
        } catch (ConfigException e) {
            throw EfftrainException.badConfig(where + ": cannot be parsed as HOCON: " + e.getMessage());
        }
    }

    private static void rejectUnknownKeys(Config user, Config defaults) {
        List<String> known = ConfigReader.leafKeys(defaults);
        for (String key : ConfigReader.leafKeys(user)) {
            if (key.startsWith(PASS_THROUGH_PREFIX) || defaults.hasPathOrNull(key)) {
                continue;
            }
            String where = ConfigReader.originOf(user, key);
            throw EfftrainException.badConfig(String.format(
                    "%s: unknown key '%s'.%s `bin/efftrain defaults` lists every key.",
                    where, key, suggestion(key, known)));
        }
    }

    /** A did-you-mean hint for an unknown key: the nearest known key, or the keys beside it. */
    static String suggestion(String key, List<String> known) {
        String best = known.stream().min(Comparator.comparingInt(k -> editDistance(k, key))).orElse(null);
        if (best == null || editDistance(best, key) > Math.max(3, key.length() / 3)) {
            List<String> siblings = new ArrayList<>();
            int dot = key.lastIndexOf('.');
            String parent = dot < 0 ? "" : key.substring(0, dot + 1);
            for (String k : known) {
                if (!parent.isEmpty() && k.startsWith(parent)) {
                    siblings.add(k);
                }
            }
            return siblings.isEmpty() ? "" : " Keys under '" + parent + "': " + String.join(", ", siblings) + ".";
        }
        return " Did you mean '" + best + "'?";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
