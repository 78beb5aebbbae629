package org.metalslake.cli;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metalslake.config.Settings;
import picocli.CommandLine.Option;

/** Options every command accepts: configuration file, overrides, lake and landing folders. */
public final class CommonOptions {
  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON configuration file")
  File conf;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override one configuration key (repeatable)")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--lake", paramLabel = "DIR", description = "Short for --set lake.root=DIR")
  String lake;

  @Option(names = "--landing", paramLabel = "DIR", description = "Short for --set lake.landing=DIR")
  String landing;

  Settings settings() {
    Map<String, String> all = new LinkedHashMap<>(overrides);
    if (lake != null) {
      all.put(Settings.LAKE_ROOT, lake);
    }
    if (landing != null) {
      all.put(Settings.LAKE_LANDING, landing);
    }
    return Settings.load(conf, all);
  }
}
