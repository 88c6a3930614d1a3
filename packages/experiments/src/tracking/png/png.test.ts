import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { textWidth } from "./bitmap-font";
import { cellShade, confusionMatrixPng, layoutConfusionHeatmap } from "./confusion-heatmap";
import { crc32 } from "./crc32";
import { encodePng, PNG_SIGNATURE } from "./encode-png";
import { createRaster, fillRect } from "./raster";

interface Chunk {
  type: string;
  data: Uint8Array;
  crcOk: boolean;
}

function chunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    const crc = view.getUint32(offset + 8 + length);
    out.push({ type, data, crcOk: crc === crc32(png.subarray(offset + 4, offset + 8 + length)) });
    offset += 12 + length;
  }
  return out;
}

/** Decodes our PNGs (truecolour, 8 bit, filter 0 on every line) back to RGB rows. */
function decode(png: Uint8Array) {
  const list = chunks(png);
  const header = new DataView(list[0]!.data.buffer, list[0]!.data.byteOffset, 13);
  const width = header.getUint32(0);
  const height = header.getUint32(4);
  const raw = inflateSync(Buffer.concat(list.filter((c) => c.type === "IDAT").map((c) => c.data)));
  expect(raw.length).toBe((width * 3 + 1) * height);
  const pixel = (x: number, y: number) => {
    const at = y * (width * 3 + 1);
    expect(raw[at]).toBe(0);
    const i = at + 1 + x * 3;
    return [raw[i], raw[i + 1], raw[i + 2]];
  };
  return { width, height, pixel, header: list[0]!.data };
}

describe("PNG encoding", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082);
  });

  it("writes signature, IHDR, IDAT and IEND with valid CRCs, and pixels that decode back", () => {
    const raster = createRaster(7, 5, [255, 255, 255]);
    fillRect(raster, 2, 1, 3, 2, [200, 10, 20]);
    const png = encodePng(raster);
    expect([...png.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
    const list = chunks(png);
    expect(list.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    expect(list.every((c) => c.crcOk)).toBe(true);
    const { width, height, pixel, header } = decode(png);
    expect([width, height]).toEqual([7, 5]);
    expect([...header.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
    expect(pixel(0, 0)).toEqual([255, 255, 255]);
    expect(pixel(2, 1)).toEqual([200, 10, 20]);
    expect(pixel(4, 2)).toEqual([200, 10, 20]);
    expect(pixel(5, 2)).toEqual([255, 255, 255]);
  });
});

describe("confusion-matrix heatmap", () => {
  const input = {
    title: "local/tfidf-logreg - category",
    labels: ["Business", "Sci/Tech", "Sports"],
    matrix: [
      [8, 2, 0, 0],
      [0, 10, 0, 0],
      [1, 1, 6, 2],
    ],
  };

  it("has the laid-out size, cells shaded by their share of the gold row, and drawn labels", () => {
    const png = confusionMatrixPng(input);
    const layout = layoutConfusionHeatmap(input);
    const { width, height, pixel } = decode(png);
    expect([width, height]).toEqual([layout.width, layout.height]);
    expect(layout.columns).toEqual(["Business", "Sci/Tech", "Sports", "invalid"]);
    const corner = (row: number, col: number) =>
      pixel(layout.gridX + col * layout.cellWidth + 2, layout.gridY + row * layout.cellHeight + 2);
    expect(corner(0, 0)).toEqual([...cellShade(0.8)]);
    expect(corner(1, 1)).toEqual([...cellShade(1)]);
    expect(corner(0, 2)).toEqual([255, 255, 255]);
    expect(corner(2, 3)).toEqual([...cellShade(0.2)]);
    // the full-row cell is the darkest blue and its count is written in white
    expect(cellShade(1)).toEqual([8, 48, 107]);
    const cx = layout.gridX + layout.cellWidth;
    const cy = layout.gridY + layout.cellHeight;
    let white = 0;
    for (let y = cy + 3; y < cy + layout.cellHeight - 3; y++)
      for (let x = cx + 3; x < cx + layout.cellWidth - 3; x++) if (pixel(x, y).every((v) => v === 255)) white++;
    expect(white).toBeGreaterThan(20);
    // the title is drawn in dark ink at the top left
    let ink = 0;
    for (let y = 12; y < 12 + 14; y++)
      for (let x = 12; x < 12 + textWidth("LOCAL", 2); x++) if (pixel(x, y)[0]! < 100) ink++;
    expect(ink).toBeGreaterThan(30);
  });
});
