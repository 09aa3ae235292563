/**
 * Fully convolutional multi-label networks on DL4J (paper §3.2, Eq. 1–2) and their weights.
 *
 * <ul>
 *   <li>{@link org.dcsm.backprop.net.VggStyleFcn}: a VGG-style FCN described by block widths and depths;
 *       builds the inference network (the layer-name contract shared with the saliency package) and the
 *       training network (optional batch normalisation and dropout), and folds batch normalisation.</li>
 *   <li>{@link org.dcsm.backprop.net.Vgg16Fcn} and {@link org.dcsm.backprop.net.SmallVggFcn}: presets.</li>
 *   <li>{@link org.dcsm.backprop.net.FcnModel}: network + class list + architecture + metadata; save/load
 *       of a model directory.</li>
 *   <li>{@link org.dcsm.backprop.net.PretrainedVgg16}: ImageNet VGG-16 from the DL4J zoo or a Keras HDF5
 *       file, dense layers reshaped into convolutions.</li>
 * </ul>
 */
package org.dcsm.backprop.net;
