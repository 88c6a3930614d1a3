/** An sRGB colour, each channel 0–255. */
export type Rgb = readonly [number, number, number];

/** An RGB image in memory (8 bits per channel, rows top to bottom) that shapes and text are drawn on. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  /** width × height × 3 bytes. */
  readonly pixels: Uint8Array;
}

export function createRaster(width: number, height: number, background: Rgb = [255, 255, 255]): Raster {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`raster size must be positive integers, got ${width}×${height}`);
  }
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) pixels.set(background, i);
  return { width, height, pixels };
}

export function setPixel(raster: Raster, x: number, y: number, colour: Rgb): void {
  if (x < 0 || y < 0 || x >= raster.width || y >= raster.height) return;
  raster.pixels.set(colour, (y * raster.width + x) * 3);
}

export function getPixel(raster: Raster, x: number, y: number): Rgb {
  const i = (y * raster.width + x) * 3;
  return [raster.pixels[i]!, raster.pixels[i + 1]!, raster.pixels[i + 2]!];
}

/** Fills the rectangle (clipped to the raster). */
export function fillRect(raster: Raster, x: number, y: number, width: number, height: number, colour: Rgb): void {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(raster.width, Math.floor(x + width));
  const y1 = Math.min(raster.height, Math.floor(y + height));
  for (let row = y0; row < y1; row++) for (let col = x0; col < x1; col++) setPixel(raster, col, row, colour);
}

/** A one-pixel rectangle outline. */
export function strokeRect(raster: Raster, x: number, y: number, width: number, height: number, colour: Rgb): void {
  fillRect(raster, x, y, width, 1, colour);
  fillRect(raster, x, y + height - 1, width, 1, colour);
  fillRect(raster, x, y, 1, height, colour);
  fillRect(raster, x + width - 1, y, 1, height, colour);
}
