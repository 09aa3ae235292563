package org.dcsm.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.pipeline.MemoryBudget;
import org.dcsm.backprop.saliency.SaliencyExtractor;
import org.dcsm.core.io.ImageSize;
import org.dcsm.crf.DenseCrf;

/**
 * What segmenting one image costs in memory, estimated from the size in its header before a pixel is decoded,
 * and the check against a {@link MemoryBudget}: an image over the budget fails alone, with a message naming it,
 * and the batch goes on. Per method: its saliency extractor ({@link SaliencyExtractor#estimateBytes}, at the
 * image's own scales), its CRF ({@link DenseCrf#estimateBytes}, candidates and background as labels), and the
 * image and pipeline arrays ({@code 4·(9 + 4·(B+1))} bytes per pixel: the decoded, RGB and preprocessed image,
 * and four {@code (B+1)}-channel maps: subtracted, fused, unary, marginals); methods are summed. {@code B} is
 * the settings' minimum candidate count (at least 1, at most the model's classes): an image with more classes
 * above the threshold needs more. Immutable. Used by {@code dcsm segment/evaluate/tune-crf} and by dcsm-spark's
 * executors (moved here from dcsm-examples for that, issue 15).
 */
public final class ItemCost {

    private record Part(String method, SaliencyExtractor extractor, DenseCrf crf) {
    }

    private final List<Part> parts;
    private final int candidates;
    private final MemoryBudget budget;

    private ItemCost(List<Part> parts, int candidates, MemoryBudget budget) {
        this.parts = List.copyOf(parts);
        this.candidates = candidates;
        this.budget = budget;
    }

    /**
     * The cost of running {@code methods} with {@code model}.
     *
     * @param dcsm     DCSM's settings (for {@link Method#DCSM} and {@link Method#DCSM_NOCRF})
     * @param simonyan the baseline's settings (for {@link Method#SIMONYAN})
     */
    public static ItemCost of(FcnModel model, MethodSettings dcsm, MethodSettings simonyan, Set<Method> methods,
                              MemoryBudget budget) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(budget, "budget");
        Set<Method> wanted = EnumSet.copyOf(methods);
        List<Part> parts = new ArrayList<>();
        if (wanted.contains(Method.SIMONYAN)) {
            parts.add(new Part("Simonyan", DcsmPipelines.simonyanExtractor(model, simonyan),
                    simonyan.crf().toCrf(simonyan.threads())));
        }
        if (wanted.contains(Method.DCSM) || wanted.contains(Method.DCSM_NOCRF)) {
            parts.add(new Part("DCSM", DcsmPipelines.dcsmExtractor(model, dcsm),
                    wanted.contains(Method.DCSM) ? dcsm.crf().toCrf(dcsm.threads()) : null));
        }
        int k = model.classes().foregroundCount();
        int b = Math.max(1, Math.min(k, dcsm.minCandidates()));
        return new ItemCost(parts, b, budget);
    }

    /** The budget items are checked against. */
    public MemoryBudget budget() {
        return budget;
    }

    /** The estimated bytes for an image of {@code size}, saturated at {@link Long#MAX_VALUE}. */
    public long bytes(ImageSize size) {
        double total = 0;
        for (Part p : parts) {
            total += partBytes(p, size);
        }
        return total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) total;
    }

    /**
     * @param name what to call the image (its file name or id, escaped by the caller)
     * @throws IllegalArgumentException naming the image, its size, the estimate per method and the budget,
     *                                  when the estimate is over the budget
     */
    public void check(String name, ImageSize size) {
        long bytes = bytes(size);
        if (bytes <= budget.bytes()) {
            return;
        }
        StringBuilder detail = new StringBuilder();
        for (Part p : parts) {
            if (!detail.isEmpty()) {
                detail.append(", ");
            }
            SaliencyExtractor e = p.extractor();
            detail.append(p.method()).append(" at scales ")
                    .append(Arrays.toString(e.scalesFor(size.height(), size.width()))).append(' ')
                    .append(MemoryBudget.format(saturate(partBytes(p, size))));
        }
        detail.append(", ").append(candidates).append(" candidate").append(candidates == 1 ? "" : "s");
        budget.check(name, size + " pixels", bytes, detail.toString());
    }

    private double partBytes(Part p, ImageSize size) {
        int h = size.height();
        int w = size.width();
        double bytes = p.extractor().estimateBytes(h, w, candidates);
        if (p.crf() != null) {
            bytes += p.crf().estimateBytes(w, h, candidates + 1);
        }
        bytes += 4.0 * (9 + 4 * (candidates + 1)) * h * w;
        return bytes;
    }

    private static long saturate(double bytes) {
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }
}
