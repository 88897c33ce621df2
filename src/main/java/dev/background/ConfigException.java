package dev.background;

/**
 * ConfigException reports one mistake in a configuration or an option: the key path where it is
 * ({@code tasks[2].backoff.multiplier}, {@code RunOption.resetAfter}) and what is wrong with the
 * value ({@code must be >= 1, was 0.5}). Its message is {@code path + ": " + problem}.
 *
 * <p>Every options class of this library reports its mistakes with it, relative to itself
 * ({@code multiplier}); an enclosing reader re-roots the exception with {@link #under(String)}
 * ({@code defaultBackoff.multiplier}), so the path is built from parts and never read back out of
 * a message. Immutable.
 */
public class ConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** The key path of the bad value. */
  private final String path;
  /** What is wrong with it. */
  private final String problem;

  /**
   * A mistake without a cause.
   *
   * @param path the key path, such as {@code tasks[2].backoff.multiplier}
   * @param problem what is wrong, such as {@code must be >= 1, was 0.5}
   */
  public ConfigException(String path, String problem) {
    this(path, problem, null);
  }

  /**
   * A mistake found through another exception (a constructor that threw, for example).
   *
   * @param path the key path, such as {@code tasks[2].class}
   * @param problem what is wrong
   * @param cause what was thrown, or {@code null}
   */
  public ConfigException(String path, String problem, Throwable cause) {
    super(path + ": " + problem, cause);
    this.path = path;
    this.problem = problem;
  }

  /**
   * The key path of the bad value, such as {@code tasks[2].backoff.multiplier}.
   *
   * @return the path, never {@code null}
   */
  public String path() {
    return path;
  }

  /**
   * What is wrong with the value, such as {@code must be >= 1, was 0.5}.
   *
   * @return the problem, without the path
   */
  public String problem() {
    return problem;
  }

  /**
   * This mistake seen from an enclosing object: {@code multiplier} under {@code defaultBackoff}
   * is {@code defaultBackoff.multiplier}.
   *
   * @param prefix the enclosing key path, such as {@code tasks[2].backoff}
   * @return a new exception at {@code prefix + "." + path()}, with the same problem and cause
   */
  public ConfigException under(String prefix) {
    return new ConfigException(prefix + "." + path, problem, getCause());
  }

  /**
   * This mistake seen from inside {@code root}, the inverse of {@link #under(String)}:
   * {@code RunOption.maxRestarts.count} relative to {@code RunOption} is
   * {@code maxRestarts.count}.
   *
   * @param root a leading part of the path
   * @return a new exception at the rest of the path, or {@code this} when the path does not start
   *     with {@code root + "."}
   */
  public ConfigException relativeTo(String root) {
    String prefix = root + ".";
    if (!path.startsWith(prefix) || path.length() == prefix.length()) {
      return this;
    }
    return new ConfigException(path.substring(prefix.length()), problem, getCause());
  }
}
