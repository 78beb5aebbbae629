package org.metalslake.cli;

import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;

/** Session handling of the command line: one session per process, stopped at exit. */
final class Sessions {
  private static SparkSession session;

  private Sessions() {}

  static synchronized SparkSession get(Settings settings) {
    if (session == null) {
      session = org.metalslake.storage.Sessions.create(settings);
    }
    return session;
  }

  static synchronized void stopIfStarted() {
    if (session != null) {
      session.stop();
      session = null;
    }
  }
}
