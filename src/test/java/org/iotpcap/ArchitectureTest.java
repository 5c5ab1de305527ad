package org.iotpcap;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure README.md ("Layout") and the style guide (section 2, "Layout") describe, checked on the
 * compiled main classes: every dependency the bytecode shows (imports, fully-qualified uses, signatures), not
 * compile-time constants, which javac inlines.
 *
 * <p>Packages form layers in the order the bytes flow, and each may use only those before it:
 * {@code bytes -> capture -> link -> ip -> transport (udp, tcp) -> engine -> dissect -> semantic -> table -> sql ->
 * analysis -> cli}. {@code engine} (the frame loop) sits before {@code dissect}: the dissectors are frame listeners
 * that fill the engine's {@code Summary}, and the engine knows nothing of them. {@code table} is optional: the
 * package may not exist yet. Every main class must be in a layer, so a new package has to be placed here first.
 *
 * <p>Inside {@code dissect}, the protocol packages ({@code dns}, {@code coap}, {@code mqtt}, {@code mqttsn}) know
 * only {@code dissect}'s own types, never each other; inside {@code mqtt}, the version decoders ({@code v311},
 * {@code v5}) never use the dispatcher that chooses between them, nor each other.
 */
class ArchitectureTest {

    private static final String ROOT = "org.iotpcap";

    /** The layers, lowest first; a layer may use only the ones before it. */
    private static final List<String> LAYERS = List.of(
            "bytes", "capture", "link", "ip", "transport", "engine", "dissect",
            "semantic", "table", "sql", "analysis", "cli");

    /** Layers whose package may not exist yet (the typed table declarations are being written). */
    private static final List<String> OPTIONAL_LAYERS = List.of("table");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(ROOT);
    }

    @Test
    void layers_depend_only_on_layers_before_them() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            String pkg = ROOT + "." + layer + "..";
            rule = OPTIONAL_LAYERS.contains(layer)
                    ? rule.optionalLayer(layer).definedBy(pkg)
                    : rule.layer(layer).definedBy(pkg);
        }
        rule = rule.whereLayer(LAYERS.get(0)).mayNotAccessAnyLayer();
        for (int i = 1; i < LAYERS.size(); i++) {
            List<String> before = new ArrayList<>(LAYERS.subList(0, i));
            rule = rule.whereLayer(LAYERS.get(i)).mayOnlyAccessLayers(before.toArray(String[]::new));
        }
        rule.ensureAllClassesAreContainedInArchitecture().check(classes);
    }

    @Test
    void top_level_packages_are_free_of_cycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void dissector_packages_are_free_of_cycles_and_independent() {
        slices().matching(ROOT + ".dissect.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching(ROOT + ".dissect.(*)..").should().notDependOnEachOther().check(classes);
    }

    @Test
    void udp_and_tcp_are_independent() {
        slices().matching(ROOT + ".transport.(*)..").should().notDependOnEachOther().check(classes);
    }

    /**
     * The dispatcher is whatever class of {@code dissect.mqtt} itself (not a subpackage) uses a version decoder;
     * the version decoders may use {@code dissect.mqtt}'s shared types (messages, limits, reasons, the reader in
     * {@code internal}) but not the dispatcher, which would make a cycle.
     */
    @Test
    void mqtt_version_decoders_do_not_use_the_dispatcher_or_each_other() {
        String mqtt = ROOT + ".dissect.mqtt";
        DescribedPredicate<JavaClass> usesAVersionDecoder = DescribedPredicate.describe(
                "uses " + mqtt + ".v311 or .v5",
                c -> c.getDirectDependenciesFromSelf().stream()
                        .anyMatch(d -> resideInAnyPackage(mqtt + ".v311..", mqtt + ".v5..").test(d.getTargetClass())));
        DescribedPredicate<JavaClass> dispatcher = resideInAPackage(mqtt).and(usesAVersionDecoder)
                .as("classes of " + mqtt + " that use a version decoder");

        layeredArchitecture().consideringOnlyDependenciesInLayers()
                // Optional: if version selection moves elsewhere, there is no dispatcher here to protect.
                .optionalLayer("mqtt dispatcher").definedBy(dispatcher)
                .layer("mqtt v3.1.1").definedBy(mqtt + ".v311..")
                .layer("mqtt v5").definedBy(mqtt + ".v5..")
                .whereLayer("mqtt dispatcher").mayNotBeAccessedByAnyLayer()
                .whereLayer("mqtt v3.1.1").mayOnlyBeAccessedByLayers("mqtt dispatcher")
                .whereLayer("mqtt v5").mayOnlyBeAccessedByLayers("mqtt dispatcher")
                // Known violation, being removed on another branch at the same time: both version decoders call
                // MqttDecoder's shared checks (checkFlags, checkTopicName, checkTopicFilter). These two lines
                // are the only exception in this file; the lead deletes them when merging that fix.
                .ignoreDependency(name(mqtt + ".v311.Mqtt311Decoder"), name(mqtt + ".MqttDecoder"))
                .ignoreDependency(name(mqtt + ".v5.Mqtt5Decoder"), name(mqtt + ".MqttDecoder"))
                .check(classes);
    }
}
