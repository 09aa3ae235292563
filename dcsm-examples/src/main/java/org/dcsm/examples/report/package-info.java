/**
 * Run reports: self-contained HTML pages ({@link org.dcsm.examples.report.HtmlReport}) with mIoU tables
 * and galleries of PNG pictures written beside them.
 */
package org.dcsm.examples.report;
