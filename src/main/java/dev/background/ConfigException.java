package dev.background;

/**
 * ConfigException reports one mistake in a {@link dev.background.verticle.TasksVerticle} configuration: the
 * key path where it is ({@code tasks[2].backoff.multiplier}) and what is wrong with the value
 * ({@code must be >= 1, was 0.5}). Its message is {@code path + ": " + problem}. Immutable.
 */
public class ConfigException extends IllegalArgumentException {

  private final String path;
  private final String problem;

  /**
   * @param path the key path, such as {@code tasks[2].backoff.multiplier}
   * @param problem what is wrong, such as {@code must be >= 1, was 0.5}
   */
  public ConfigException(String path, String problem) {
    this(path, problem, null);
  }

  public ConfigException(String path, String problem, Throwable cause) {
    super(path + ": " + problem, cause);
    this.path = path;
    this.problem = problem;
  }

  /** The key path of the bad value, such as {@code tasks[2].backoff.multiplier}. */
  public String path() {
    return path;
  }

  /** What is wrong with it, such as {@code must be >= 1, was 0.5}. */
  public String problem() {
    return problem;
  }

  /** This mistake seen from an enclosing object: {@code prefix + "." + path}. */
  public ConfigException under(String prefix) {
    return new ConfigException(prefix + "." + path, problem, getCause());
  }

  /**
   * Converts a validation message that starts with the field name ({@code "multiplier: must be
   * >= 1, was 0.5"}, as {@link dev.background.Backoff} and the duration parser write them) into a
   * ConfigException under {@code prefix}; {@code prefix} may be empty.
   */
  public static ConfigException of(String prefix, IllegalArgumentException e) {
    if (e instanceof ConfigException) {
      ConfigException c = (ConfigException) e;
      return prefix.isEmpty() ? c : c.under(prefix);
    }
    String message = String.valueOf(e.getMessage());
    int colon = message.indexOf(": ");
    String field = colon > 0 ? message.substring(0, colon) : "";
    String problem = colon > 0 ? message.substring(colon + 2) : message;
    String path = prefix.isEmpty() ? field : field.isEmpty() ? prefix : prefix + "." + field;
    return new ConfigException(path, problem, e.getCause());
  }
}
