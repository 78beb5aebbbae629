package org.metalslake.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Secrets never reach ops.runs. */
class RunLogTest {
  @Test
  void secretLookingSettingsAreMasked() {
    String masked =
        RunLog.mask(
            "run --set spark.hadoop.fs.s3a.secret.key=abc123 --set fs.s3a.access.key=AKIAXYZ"
                + " --set lake.root=s3a://b/p");
    assertFalse(masked.contains("abc123"), masked);
    assertFalse(masked.contains("AKIAXYZ"), masked);
    assertEquals(
        "run --set spark.hadoop.fs.s3a.secret.key=*** --set fs.s3a.access.key=***"
            + " --set lake.root=s3a://b/p",
        masked);
  }
}
