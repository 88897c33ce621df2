package dev.background;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * The package graph has no upward arrow. The layers, bottom up:
 *
 * <pre>
 * API (dev.background)  &lt;-  engine (impl), reached only through the factories of Tasks
 * API  &lt;-  control  &lt;-  eventbus, web, cluster, health  &lt;-  verticle  &lt;-  demo
 * API  &lt;-  testing
 * </pre>
 *
 * The features (eventbus, web, cluster, health) stand side by side: none uses another. The test sources
 * are not checked.
 */
@AnalyzeClasses(packages = "dev.background", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("API").definedBy("dev.background")
      .layer("Engine").definedBy("dev.background.impl..")
      .layer("Control").definedBy("dev.background.control..")
      .layer("EventBus").definedBy("dev.background.eventbus..")
      .layer("Web").definedBy("dev.background.web..")
      .layer("Cluster").definedBy("dev.background.cluster..")
      .layer("Health").definedBy("dev.background.health..")
      .layer("Verticle").definedBy("dev.background.verticle..")
      .layer("Demo").definedBy("dev.background.demo..")
      .layer("Testing").definedBy("dev.background.testing..")

      .whereLayer("API").mayOnlyAccessLayers("Engine")
      .whereLayer("Engine").mayOnlyAccessLayers("API")
      .whereLayer("Control").mayOnlyAccessLayers("API")
      .whereLayer("EventBus").mayOnlyAccessLayers("API", "Control")
      .whereLayer("Web").mayOnlyAccessLayers("API", "Control")
      .whereLayer("Cluster").mayOnlyAccessLayers("API", "Control")
      .whereLayer("Health").mayOnlyAccessLayers("API", "Control")
      .whereLayer("Verticle")
      .mayOnlyAccessLayers("API", "Control", "EventBus", "Web", "Cluster", "Health")
      .whereLayer("Demo")
      .mayOnlyAccessLayers("API", "Control", "EventBus", "Web", "Cluster", "Health", "Verticle")
      .whereLayer("Testing").mayOnlyAccessLayers("API")

      .whereLayer("Engine").mayOnlyBeAccessedByLayers("API")
      .whereLayer("Testing").mayNotBeAccessedByAnyLayer()
      .whereLayer("Demo").mayNotBeAccessedByAnyLayer();

  /** The API reaches the engine in one place: the static factories of {@link Tasks}. */
  @ArchTest
  static final ArchRule onlyTheFactoriesOfTasksReachTheEngine = noClasses()
      .that().resideOutsideOfPackage("dev.background.impl..")
      .and().doNotHaveFullyQualifiedName(Tasks.class.getName())
      .should().dependOnClassesThat().resideInAPackage("dev.background.impl..");

  /**
   * What an application without the optional artifacts uses (the API, the engine, the control
   * protocol, the event bus) names none of their types: vertx-web, vertx-hazelcast, Hazelcast and
   * the Prometheus registry.
   */
  @ArchTest
  static final ArchRule theCoreNeedsNoOptionalDependency = noClasses()
      .that().resideInAnyPackage("dev.background", "dev.background.impl..",
          "dev.background.control..", "dev.background.eventbus..")
      .should().dependOnClassesThat().resideInAnyPackage("io.vertx.ext.web..",
          "io.vertx.spi.cluster.hazelcast..", "com.hazelcast..", "io.micrometer.prometheusmetrics..",
          "io.prometheus..", "io.vertx.ext.healthchecks..");

  /** vertx-health-check is named by the health feature only: no other package needs it. */
  @ArchTest
  static final ArchRule onlyTheHealthFeatureNeedsHealthChecks = noClasses()
      .that().resideOutsideOfPackage("dev.background.health..")
      .should().dependOnClassesThat().resideInAPackage("io.vertx.ext.healthchecks..");

  /** Other modules are used through their public API only. */
  @ArchTest
  static final ArchRule noInternalsOfOtherModules = noClasses()
      .should().dependOnClassesThat().resideInAnyPackage("io.vertx..impl..", "io.vertx.core.internal..");
}
