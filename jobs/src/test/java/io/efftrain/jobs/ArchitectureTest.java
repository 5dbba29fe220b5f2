package io.efftrain.jobs;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The floor plan as rules: dependencies point one way (pipeline &lt;- datasets, sampling, trainers &lt;- jobs), the
 * three middle modules never depend on each other, and the engine (layers and kernels) is a leaf that imports
 * nothing else of efftrain. Maven's module graph already forbids most module cycles; these rules also hold for
 * packages inside a module and fail with the offending class and line.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importEfftrain() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.efftrain");
    }

    @Test
    void theEngineIsALeaf() {
        classes().that().resideInAPackage("io.efftrain.trainers.engine..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("io.efftrain..")
                        .or(resideInAPackage("io.efftrain.trainers.engine..")))
                .allowEmptyShould(false).check(classes);
    }

    @Test
    void thePipelineDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("io.efftrain.pipeline..").should().dependOnClassesThat()
                .resideInAnyPackage("io.efftrain.datasets..", "io.efftrain.sampling..", "io.efftrain.trainers..",
                        "io.efftrain.jobs..")
                .check(classes);
    }

    @Test
    void timeIsReadThroughAnInjectedTicker() {
        // Budgets, stage timings and benchmarks all read the Ticker they are given, so a test can script time;
        // only the system ticker itself and the workers' own loop measurement read the JVM's clock.
        noClasses().that().doNotHaveFullyQualifiedName("io.efftrain.pipeline.budget.Ticker")
                .and().doNotHaveFullyQualifiedName("io.efftrain.trainers.averaging.WorkerTime")
                .should().callMethod(System.class, "nanoTime")
                .check(classes);
    }

    @Test
    void theMiddleModulesNeverDependOnEachOtherOrOnJobs() {
        String[][] rules = {
            {"io.efftrain.datasets..", "io.efftrain.sampling..", "io.efftrain.trainers.."},
            {"io.efftrain.sampling..", "io.efftrain.datasets..", "io.efftrain.trainers.."},
            {"io.efftrain.trainers..", "io.efftrain.datasets..", "io.efftrain.sampling.."},
        };
        for (String[] rule : rules) {
            noClasses().that().resideInAPackage(rule[0]).should().dependOnClassesThat()
                    .resideInAnyPackage(rule[1], rule[2], "io.efftrain.jobs..").check(classes);
        }
    }
}
