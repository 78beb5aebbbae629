package org.metalslake.cli;

import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.storage.LazySession;

/**
 * Session handling of the command line: one session per process, started when a command first needs
 * it (a run with nothing to do never does), stopped at exit.
 */
final class Sessions {
  private static LazySession session;

  private Sessions() {}

  /** The process's session, not started yet if no command has needed it. */
  static synchronized LazySession lazy(Settings settings) {
    if (session == null) {
      session = LazySession.of(settings);
    }
    return session;
  }

  static synchronized SparkSession get(Settings settings) {
    return lazy(settings).get();
  }

  static synchronized void stopIfStarted() {
    if (session != null) {
      session.stop();
      session = null;
    }
  }
}
