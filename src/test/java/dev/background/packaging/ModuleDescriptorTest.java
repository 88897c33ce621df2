package dev.background.packaging;

import dev.background.Tasks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module descriptor, read from the compiled classes: every package is exported but the engine
 * and the demo, and the optional dependencies are {@code requires static}.
 */
class ModuleDescriptorTest {

  private static Path classes;
  private static ModuleDescriptor descriptor;

  @BeforeAll
  static void read() throws Exception {
    classes = Path.of(Tasks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }
  }

  @Test
  void everyPackageButTheEngineAndTheDemoIsExportedToAll() throws IOException {
    Set<String> packages = packagesWithClasses();
    packages.removeAll(Set.of("dev.background.impl", "dev.background.demo"));

    assertThat(descriptor.name()).isEqualTo("dev.background");
    assertThat(descriptor.exports()).allMatch(e -> !e.isQualified());
    assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactlyInAnyOrderElementsOf(packages);
  }

  @Test
  void theOptionalDependenciesAreStaticRequires() {
    Set<String> statics = descriptor.requires().stream()
        .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
        .map(ModuleDescriptor.Requires::name)
        .collect(Collectors.toSet());
    assertThat(statics).contains("io.vertx.web", "io.vertx.clustermanager.hazelcast",
        "com.hazelcast.core", "micrometer.registry.prometheus");
  }

  /** The packages under the compiled classes that hold a class (a package-info does not count). */
  private static Set<String> packagesWithClasses() throws IOException {
    try (Stream<Path> files = Files.walk(classes)) {
      return files.filter(f -> f.toString().endsWith(".class"))
          .filter(f -> !f.getFileName().toString().equals("module-info.class"))
          .filter(f -> !f.getFileName().toString().equals("package-info.class"))
          .map(f -> classes.relativize(f.getParent()).toString().replace(f.getFileSystem().getSeparator(), "."))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
