/**
 * The engine behind {@link dev.background.Tasks}; not exported, not API, reached only through the
 * static factories of {@code Tasks}.
 *
 * <ul>
 * <li>{@code Supervisor}: one task's life, from submit through runs, backoff and restarts to its
 *   end; the only place that decides what a task does next.</li>
 * <li>{@code TasksImpl}: the tracker itself: the registry of names, timers, listeners and
 *   {@code close} with its deadline.</li>
 * <li>{@code Stats}: the per-name record: counters, meters and the {@code TaskStatus}
 *   snapshot.</li>
 * <li>{@code RunContext}: the context of one run, its cancellation and pause request.</li>
 * <li>{@code RestartPolicy}: what follows a run (a restart after which wait, or which end);
 *   {@code EventQueue}: the events of one name, in order across its incarnations;
 *   {@code Completion}: when a task will never run again.</li>
 * <li>Containment of user code: {@code Callbacks} completes the futures users listen to,
 *   {@code FailureLog} renders and logs their failures ({@code RunLog}: what is logged of one
 *   name's runs, a repeated failure's stack once);
 *   whatever these throw is logged, never thrown into the engine. {@code Deadline}: the close
 *   deadline, off the event loops.</li>
 * <li>{@code SingletonLease}: a singleton's lock, fencing token and shared backoff state;
 *   {@code SharedDataLocks} is the default lock, on Vert.x shared data.</li>
 * <li>{@code TaskMetrics}: the Micrometer meters; {@code BlockingExecutors}: the threads blocking
 *   tasks run on; {@code Callers}: the caller prefix of task names; the default
 *   {@code TasksClock}: the system clock and Vert.x timers; {@code SharedTimers}: the schedules'
 *   timers, one clock timer for all those due in the same millisecond.</li>
 * </ul>
 */
package dev.background.impl;
