package org.metalslake.ref;

/**
 * The controlled words silver tables use and gold reads: a plant's status in {@code
 * silver.capacity}, a series' kind in {@code silver.prices}.
 */
public final class Vocabulary {
  private Vocabulary() {}

  /** Plant status: producing. */
  public static final String OPERATING = "operating";

  /** Plant status: being built, expected to start on its start date. */
  public static final String UNDER_CONSTRUCTION = "under_construction";

  /** Plant status: announced or in study, not started. */
  public static final String PLANNED = "planned";

  /** Plant status: shut down on its end date. */
  public static final String CLOSED = "closed";

  /** Price series kind: a metal price (positive). */
  public static final String PRICE = "price";

  /** Price series kind: a treatment or refining charge (may be negative). */
  public static final String CHARGE = "charge";
}
