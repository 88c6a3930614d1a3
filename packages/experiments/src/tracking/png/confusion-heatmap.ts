import { drawText, fitText, GLYPH_HEIGHT, textWidth } from "./bitmap-font";
import { encodePng } from "./encode-png";
import { createRaster, fillRect, type Raster, type Rgb, strokeRect } from "./raster";

/** A confusion matrix as `ClassificationMetrics.confusion` holds it: rows gold, columns predicted then `invalid`. */
export interface ConfusionMatrixInput {
  title: string;
  labels: readonly string[];
  matrix: readonly (readonly number[])[];
}

/** Where each part of the heatmap is drawn, so tests (and callers) can find a cell. */
export interface HeatmapLayout {
  width: number;
  height: number;
  cellWidth: number;
  cellHeight: number;
  /** Top-left corner of the cell grid. */
  gridX: number;
  gridY: number;
  columns: string[];
}

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [33, 37, 41];
const GRID: Rgb = [173, 181, 189];
const DARKEST: Rgb = [8, 48, 107];
const PADDING = 12;
const MAX_LABEL_CHARS = 14;

/** The shade of a cell holding `share` (0–1) of its gold row: white to dark blue. */
export function cellShade(share: number): Rgb {
  const t = Math.min(1, Math.max(0, share));
  return [0, 1, 2].map((i) => Math.round(WHITE[i]! + (DARKEST[i]! - WHITE[i]!) * t)) as unknown as Rgb;
}

/** Dark text on light cells, white text on dark ones. */
function textOn(share: number): Rgb {
  return share > 0.45 ? WHITE : INK;
}

export function layoutConfusionHeatmap(input: ConfusionMatrixInput): HeatmapLayout {
  const columns = [...input.labels];
  const extra = (input.matrix[0]?.length ?? columns.length) - columns.length;
  if (extra > 0) columns.push("invalid", ...Array.from({ length: extra - 1 }, (_, i) => `extra${i + 1}`));
  const shown = columns.map((c) => fitText(c, MAX_LABEL_CHARS));
  const largest = Math.max(0, ...input.matrix.flat());
  const cellWidth = Math.max(36, textWidth(String(largest), 2) + 10, Math.max(...shown.map((c) => textWidth(c))) + 8);
  const cellHeight = 32;
  const rowLabelWidth = Math.max(textWidth("GOLD"), ...input.labels.map((l) => textWidth(fitText(l, MAX_LABEL_CHARS))));
  const gridX = PADDING + GLYPH_HEIGHT + 8 + rowLabelWidth + 8;
  const gridY = PADDING + GLYPH_HEIGHT * 2 + 10 + GLYPH_HEIGHT + 6 + GLYPH_HEIGHT + 6;
  const width = Math.max(
    gridX + columns.length * cellWidth + PADDING,
    PADDING * 2 + textWidth(fitText(input.title, 80), 2),
  );
  const height = gridY + input.labels.length * cellHeight + PADDING + GLYPH_HEIGHT + 6;
  return { width, height, cellWidth, cellHeight, gridX, gridY, columns };
}

/**
 * Draws the confusion matrix as a heatmap: one cell per (gold, predicted) pair shaded by its share of the gold row,
 * the count written in it, gold labels down the left, predicted labels across the top, the title above.
 */
export function renderConfusionHeatmap(input: ConfusionMatrixInput): Raster {
  const layout = layoutConfusionHeatmap(input);
  const { cellWidth, cellHeight, gridX, gridY, columns } = layout;
  const raster = createRaster(layout.width, layout.height, WHITE);
  drawText(raster, PADDING, PADDING, fitText(input.title, 80), INK, 2);
  const axisY = PADDING + GLYPH_HEIGHT * 2 + 10;
  drawText(raster, gridX, axisY, "PREDICTED", INK);
  const gridWidth = columns.length * cellWidth;
  columns.forEach((column, c) => {
    const text = fitText(column, MAX_LABEL_CHARS);
    const x = gridX + c * cellWidth + Math.floor((cellWidth - textWidth(text)) / 2);
    drawText(raster, x, axisY + GLYPH_HEIGHT + 6, text, INK);
  });
  drawText(raster, PADDING, gridY - GLYPH_HEIGHT - 6, "GOLD", INK);
  input.labels.forEach((label, r) => {
    const row = input.matrix[r] ?? [];
    const total = row.reduce((s, v) => s + v, 0);
    const y = gridY + r * cellHeight;
    drawText(raster, PADDING, y + Math.floor((cellHeight - GLYPH_HEIGHT) / 2), fitText(label, MAX_LABEL_CHARS), INK);
    columns.forEach((_, c) => {
      const count = row[c] ?? 0;
      const share = total === 0 ? 0 : count / total;
      const x = gridX + c * cellWidth;
      fillRect(raster, x, y, cellWidth, cellHeight, cellShade(share));
      const text = String(count);
      const scale = textWidth(text, 2) + 4 <= cellWidth ? 2 : 1;
      drawText(
        raster,
        x + Math.floor((cellWidth - textWidth(text, scale)) / 2),
        y + Math.floor((cellHeight - GLYPH_HEIGHT * scale) / 2),
        text,
        textOn(share),
        scale,
      );
      strokeRect(raster, x, y, cellWidth + 1, cellHeight + 1, GRID);
    });
  });
  drawText(
    raster,
    gridX,
    gridY + input.labels.length * cellHeight + 6,
    fitText("SHADE: SHARE OF THE GOLD ROW", Math.floor(gridWidth / 6)),
    GRID,
  );
  return raster;
}

/** The heatmap as PNG bytes. */
export function confusionMatrixPng(input: ConfusionMatrixInput): Uint8Array {
  return encodePng(renderConfusionHeatmap(input));
}
