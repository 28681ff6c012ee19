package io.tgstream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when a dependency points the wrong way: model <- state <- operators <- jobs, connectors beside
 * operators (on model only), and the model free of Flink and Kafka.
 */
class ModuleLayeringTest {

    /** Each module's root packages. A package of ours that is not listed here fails {@link #everyPackageHasAModule}. */
    private static final Map<String, List<String>> MODULE_PACKAGES = Map.of(
            "model", List.of("io.tgstream.data..", "io.tgstream.eval..", "io.tgstream.nn..", "io.tgstream.model..",
                    "io.tgstream.modelfile..", "io.tgstream.train.."),
            "state", List.of("io.tgstream.state.."),
            "operators", List.of("io.tgstream.operators.."),
            "connectors", List.of("io.tgstream.connectors.."),
            "jobs", List.of("io.tgstream.jobs..", "io.tgstream.cli..", "io.tgstream.report..", "io.tgstream.cluster.."));

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tgstream");
    }

    private static String[] packagesOf(String... modules) {
        return java.util.Arrays.stream(modules).flatMap(m -> MODULE_PACKAGES.get(m).stream()).toArray(String[]::new);
    }

    @Test
    void productionClassesWereImported() {
        // Guards the rules below against passing vacuously on an empty import.
        assertThat(classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet()))
                .contains("io.tgstream.data");
    }

    @Test
    void everyPackageHasAModule() {
        TreeSet<String> unmapped = classes.stream()
                .map(JavaClass::getPackageName)
                .filter(p -> MODULE_PACKAGES.values().stream().flatMap(List::stream)
                        .noneMatch(pattern -> p.equals(pattern.replace("..", ""))
                                || p.startsWith(pattern.replace("..", "."))))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(unmapped).as("packages that no module rule covers: add them to MODULE_PACKAGES").isEmpty();
    }

    @Test
    void modelUsesNeitherFlinkNorKafka() {
        noClasses().that().resideInAnyPackage(packagesOf("model"))
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
                .check(classes);
    }

    @Test
    void modelDependsOnNoOtherModule() {
        noClasses().that().resideInAnyPackage(packagesOf("model"))
                .should().dependOnClassesThat().resideInAnyPackage(packagesOf("state", "operators", "connectors", "jobs"))
                .check(classes);
    }

    @Test
    void stateDependsOnlyOnModel() {
        noClasses().that().resideInAnyPackage(packagesOf("state"))
                .should().dependOnClassesThat().resideInAnyPackage(packagesOf("operators", "connectors", "jobs"))
                .check(classes);
    }

    @Test
    void operatorsDoNotReachUpOrSideways() {
        noClasses().that().resideInAnyPackage(packagesOf("operators"))
                .should().dependOnClassesThat().resideInAnyPackage(packagesOf("connectors", "jobs"))
                .check(classes);
    }

    @Test
    void connectorsStandBesideOperators() {
        noClasses().that().resideInAnyPackage(packagesOf("connectors"))
                .should().dependOnClassesThat().resideInAnyPackage(packagesOf("state", "operators", "jobs"))
                .check(classes);
    }
}
