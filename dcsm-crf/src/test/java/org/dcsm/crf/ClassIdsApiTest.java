package org.dcsm.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * No public method turns a bare {@code INDArray} of energies into labels without being told the class ids (or saying in
 * its name that it reads channel indices as ids): {@code crf.infer(image, fused.withBackground().unary())} must not
 * compile, since it would return 0, 1, 2 for the ids 0, 12, 15.
 */
class ClassIdsApiTest {

    @Test
    void thereIsNoIdLessInferStartOrInput() {
        assertThatThrownBy(() -> DenseCrf.class.getMethod("infer", INDArray.class, INDArray.class))
                .isInstanceOf(NoSuchMethodException.class);
        assertThatThrownBy(() -> DenseCrf.class.getMethod("start", INDArray.class, INDArray.class))
                .isInstanceOf(NoSuchMethodException.class);
        assertThatThrownBy(() -> ExactDenseCrf.class.getMethod("infer", INDArray.class, INDArray.class))
                .isInstanceOf(NoSuchMethodException.class);
        assertThatThrownBy(() -> CrfInput.class.getMethod("of", INDArray.class, INDArray.class))
                .isInstanceOf(NoSuchMethodException.class);
        assertThatThrownBy(() -> UnaryEnergies.class.getMethod("of", INDArray.class))
                .isInstanceOf(NoSuchMethodException.class);
        assertThatThrownBy(() -> UnaryEnergies.class.getMethod("fromProbabilities", INDArray.class, double.class))
                .isInstanceOf(NoSuchMethodException.class);
    }

    @Test
    void everyPublicTensorFactoryOfUnaryEnergiesTakesIdsOrSaysItUsesChannelIndices() {
        for (Method m : UnaryEnergies.class.getMethods()) {
            boolean factory = Modifier.isStatic(m.getModifiers()) && m.getReturnType() == UnaryEnergies.class;
            boolean tensor = Arrays.asList(m.getParameterTypes()).contains(INDArray.class);
            if (factory && tensor) {
                assertThat(Arrays.asList(m.getParameterTypes()).contains(int[].class)
                        || m.getName().equals("ofChannelIndices")).as(m.toString()).isTrue();
            }
        }
    }
}
