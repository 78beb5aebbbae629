package org.metalslake.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.metalslake.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code config}: the effective configuration — every setting, its value and where it came from
 * (the embedded defaults, a file and line, an environment variable, {@code --set}) — and the keys
 * given that no setting reads. Starts no Spark session.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Print the effective configuration, each value with its origin; keys no setting reads are"
            + " listed as unknown (exit 2 when there are any).")
final class ConfigCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    Settings settings = common.settings();
    List<Settings.Entry> entries = settings.effective();
    int width =
        entries.stream().mapToInt(e -> e.key().length() + e.value().length()).max().orElse(0);
    for (Settings.Entry e : entries) {
      String kv = e.key() + " = " + e.value();
      System.out.println(kv + " ".repeat(Math.max(1, width + 4 - kv.length())) + "# " + e.origin());
    }
    List<String> unknown = settings.unknownKeys();
    for (String key : unknown) {
      System.out.println("# unknown key, ignored: " + key);
    }
    return unknown.isEmpty() ? 0 : Main.EXIT_USAGE;
  }
}
