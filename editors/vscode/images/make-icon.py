#!/usr/bin/env python3
# Regenerate with: python3 editors/vscode/images/make-icon.py
# Draws the extension icon: a rounded green-blue tile with a white check
# mark over a bracket "[ ]", anti-aliased by 4x4 supersampling.
import zlib, struct, math
N = 128
S = 4
def inside_rounded(x, y, r=22):
    cx = min(max(x, r), N - r); cy = min(max(y, r), N - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
def seg_dist(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))
check = [((34, 66), (54, 86)), ((54, 86), (94, 42))]
brackets = [((22, 28), (22, 100)), ((22, 28), (32, 28)), ((22, 100), (32, 100)),
            ((106, 28), (106, 100)), ((96, 28), (106, 28)), ((96, 100), (106, 100))]
rows = []
for y in range(N):
    row = bytearray([0])
    for x in range(N):
        acc = [0, 0, 0, 0]
        for sy in range(S):
            for sx in range(S):
                px, py = x + (sx + .5) / S, y + (sy + .5) / S
                if not inside_rounded(px, py):
                    continue
                t = py / N
                col = (int(24 + 10 * t), int(120 - 40 * t), int(160 + 40 * t))
                if any(seg_dist(px, py, *a, *b) < 7 for a, b in check):
                    col = (255, 255, 255)
                elif any(seg_dist(px, py, *a, *b) < 3.2 for a, b in brackets):
                    col = (190, 225, 240)
                acc[0] += col[0]; acc[1] += col[1]; acc[2] += col[2]; acc[3] += 255
        n = S * S
        a = acc[3] // n
        if a:
            k = acc[3] / 255
            row += bytes([int(acc[0] / k), int(acc[1] / k), int(acc[2] / k), a])
        else:
            row += bytes([0, 0, 0, 0])
    rows.append(bytes(row))
def chunk(t, d):
    c = struct.pack(">I", len(d)) + t + d
    return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
open(__import__("os").path.join(__import__("os").path.dirname(__file__), "icon.png"), "wb").write(png)
