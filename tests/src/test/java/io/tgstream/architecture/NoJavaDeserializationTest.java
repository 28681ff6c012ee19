package io.tgstream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when production code reads Java serialization streams ({@link ObjectInputStream}, or
 * {@code java.beans.XMLDecoder}): model files and every input are plain data (DESIGN.md §6), so nothing a user
 * supplies is ever turned into Java objects by the JDK's deserializer. Flink's own use of Java serialization for the
 * job graph is Flink's, not ours, and is not in these packages.
 */
class NoJavaDeserializationTest {
    /** The rule: no class of ours uses the JDK's object deserializers. */
    static final ArchRule NO_JAVA_DESERIALIZATION = noClasses().that().resideInAPackage("io.tgstream..")
            .should().dependOnClassesThat().areAssignableTo(ObjectInputStream.class)
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.beans.XMLDecoder")
            .because("model files and inputs are data: nothing from them may be deserialized as Java objects");

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // other modules' test-jars
                .importPackages("io.tgstream");
    }

    @Test
    void productionCodeNeverDeserializesJavaObjects() {
        assertThat(production.stream().map(JavaClass::getPackageName).collect(Collectors.toSet()))
                .as("production classes of every module were imported")
                .contains("io.tgstream.modelfile", "io.tgstream.connectors.json", "io.tgstream.jobs",
                        "io.tgstream.operators.node", "io.tgstream.state");
        NO_JAVA_DESERIALIZATION.check(production);
    }

    @Test
    void theRuleCatchesAClassThatDeserializes() {
        JavaClasses offender = new ClassFileImporter().importClasses(DeserializingReader.class);
        EvaluationResult result = NO_JAVA_DESERIALIZATION.evaluate(offender);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("ObjectInputStream");
    }

    /** What the rule forbids: a reader that turns bytes into Java objects. */
    static final class DeserializingReader {
        Object read(byte[] bytes) throws IOException, ClassNotFoundException {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                return in.readObject();
            }
        }
    }
}
