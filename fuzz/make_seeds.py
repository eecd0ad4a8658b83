"""Writes the seed corpora fuzz/corpus/<name>/ (small, committed).

Each file name says what the reader must do with it: ``ok_*`` parses, ``bad_*`` is refused with a
typed wst error (tests/io/test_fuzz_regressions.cpp checks both). Run with Debian's interpreter:
``/usr/bin/python3 fuzz/make_seeds.py``.
"""
import gzip
import io
import pathlib
import struct
import wave
import zlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent / "corpus"


def put(name, filename, data):
    d = ROOT / name
    d.mkdir(parents=True, exist_ok=True)
    (d / filename).write_bytes(data)


def npy_bytes(a):
    f = io.BytesIO()
    np.save(f, a)
    return f.getvalue()


def npy_seeds():
    rng = np.random.default_rng(0)
    put("npy", "ok_f8_2x3.npy", npy_bytes(rng.standard_normal((2, 3))))
    put("npy", "ok_f4_5.npy", npy_bytes(rng.standard_normal(5).astype("<f4")))
    put("npy", "ok_i8_4.npy", npy_bytes(np.arange(4, dtype="<i8")))
    put("npy", "ok_c16_3.npy", npy_bytes(np.array([1 + 2j, 3, -1j])))
    put("npy", "ok_f8_scalar.npy", npy_bytes(np.float64(1.5)))
    put("npy", "ok_f8_empty.npy", npy_bytes(np.zeros((0, 3))))
    good = npy_bytes(np.arange(6.0).reshape(2, 3))
    put("npy", "bad_truncated.npy", good[:-5])
    put("npy", "bad_magic.npy", b"\x93NUMPZ" + good[6:])
    put("npy", "bad_fortran.npy", npy_bytes(np.asfortranarray(np.arange(6.0).reshape(2, 3))))
    put("npy", "bad_bigendian.npy", npy_bytes(np.arange(3, dtype=">f8")))
    put("npy", "bad_u1.npy", npy_bytes(np.arange(3, dtype="u1")))


def wav_bytes(samples, rate=8000, width=2, channels=1):
    f = io.BytesIO()
    with wave.open(f, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(samples)
    return f.getvalue()


def wav_seeds():
    t = np.arange(64)
    x16 = (8000 * np.sin(0.3 * t)).astype("<i2")
    put("wav", "ok_i16_mono.wav", wav_bytes(x16.tobytes()))
    put("wav", "ok_i16_stereo.wav", wav_bytes(np.repeat(x16, 2).tobytes(), channels=2))
    put("wav", "ok_u8_mono.wav", wav_bytes((128 + 100 * np.sin(0.3 * t)).astype("u1").tobytes(), width=1))
    # 32-bit float WAV (WAVE_FORMAT_IEEE_FLOAT = 3), written by hand: the wave module has none.
    data = np.sin(0.2 * t).astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, 16000, 16000 * 4, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    put("wav", "ok_f32_mono.wav", b"RIFF" + struct.pack("<I", len(body)) + body)
    good = wav_bytes(x16.tobytes())
    put("wav", "bad_not_riff.wav", b"RIFX" + good[4:])
    put("wav", "bad_header_only.wav", good[:44])
    put("wav", "bad_empty.wav", b"")


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width, height, bit_depth, color_type, rows):
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    raw = b"".join(b"\x00" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(raw))
            + png_chunk(b"IEND", b""))


def png_seeds():
    put("png", "ok_gray8_4x3.png", png_bytes(4, 3, 8, 0, [bytes([0, 64, 128, 255])] * 3))
    put("png", "ok_gray16_2x2.png", png_bytes(2, 2, 16, 0, [b"\x00\x00\xff\xff"] * 2))
    put("png", "ok_gray1_8x1.png", png_bytes(8, 1, 1, 0, [b"\xa5"]))
    put("png", "ok_rgb8_2x2.png", png_bytes(2, 2, 8, 2, [bytes([255, 0, 0, 0, 255, 0])] * 2))
    put("png", "ok_rgba8_1x2.png", png_bytes(1, 2, 8, 6, [bytes([0, 0, 255, 128])] * 2))
    put("png", "ok_gray_alpha8_2x1.png", png_bytes(2, 1, 8, 4, [bytes([10, 255, 200, 0])]))
    good = png_bytes(4, 3, 8, 0, [bytes([0, 64, 128, 255])] * 3)
    put("png", "bad_truncated.png", good[: len(good) - 20])
    put("png", "bad_signature.png", b"\x89PNX" + good[4:])
    put("png", "bad_zero_width.png", png_bytes(0, 3, 8, 0, [b""] * 3))


def idx_bytes(shape, data, ndim=None):
    head = bytes([0, 0, 8, len(shape) if ndim is None else ndim])
    return head + b"".join(struct.pack(">I", n) for n in shape) + bytes(data)


def idx_seeds():
    put("idx", "ok_labels_5.idx", idx_bytes([5], [0, 1, 2, 3, 9]))
    put("idx", "ok_images_2x3x3.idx", idx_bytes([2, 3, 3], range(18)))
    put("idx", "ok_images_gz.idx", gzip.compress(idx_bytes([1, 2, 2], [0, 255, 7, 8]), mtime=0))
    put("idx", "ok_4d.idx", idx_bytes([1, 1, 2, 2], [1, 2, 3, 4]))
    put("idx", "bad_truncated.idx", idx_bytes([10], range(4)))
    put("idx", "bad_trailing.idx", idx_bytes([2], [1, 2, 3]))
    put("idx", "bad_type.idx", b"\x00\x00\x0d\x01" + struct.pack(">I", 1) + b"\x00\x00\x80\x3f")
    put("idx", "bad_zero_dim.idx", idx_bytes([0, 3], []))
    put("idx", "bad_huge.idx", idx_bytes([65536, 65536], []))
    put("idx", "bad_gz_corrupt.idx", gzip.compress(idx_bytes([4], [1, 2, 3, 4]), mtime=0)[:-12] + b"\xff" * 4)


def mnist_json_seeds():
    # Every seed is refused: a package with only src/digits/0.json never loads. The ok_-less naming
    # is deliberate; "bad_count" parses and fails only the count check (1001 digits expected).
    one = ", ".join(["0", "0.5", "1", "0.125"] * 196)
    put("mnist_json", "bad_count_one_digit.json", ('{"data": [' + one + "]}").encode())
    put("mnist_json", "bad_count_empty.json", b'{"data": []}')
    put("mnist_json", "bad_not_multiple.json", b'{"data": [0, 1, 0.5]}')
    put("mnist_json", "bad_range.json", b'{"data": [1.5]}')
    put("mnist_json", "bad_decimals.json", b'{"data": [0.1234]}')
    put("mnist_json", "bad_exponent.json", b'{"data": [5e-1, 1E0, 1e999, -0]}')
    put("mnist_json", "bad_key.json", b'{"digits": [0]}')
    put("mnist_json", "bad_string.json", b'{"data": ["0"]}')
    put("mnist_json", "bad_truncated.json", b'{"data": [0, 0.5')
    put("mnist_json", "bad_trailing.json", b'{"data": []} x')


def params_seeds():
    # Byte layout: see ParamReader in fuzz/targets.hpp; typical values are (byte < 224, u16).
    def typ(v):
        return bytes([0]) + struct.pack("<H", v)

    def special(i):
        return bytes([224 + i])

    # Scattering1D (double): J=3, N=64, Q=(1,1), local averaging, T=0 (2^J), stride 0 (the
    # default), order 2, threads 1, no NaN.
    s1 = (bytes([0]) + typ(3) + typ(64) + typ(0) + typ(0) + b"\x00" + typ(0) + typ(0) + typ(2)
          + typ(0) + b"\x00")
    put("params", "ok_scat1d.bin", s1)
    put("params", "bad_scat1d_nan.bin", s1[:-1] + b"\x01")
    put("params", "bad_scat1d_J_huge.bin", bytes([0]) + special(5) + s1[4:])
    # The same with T = 0 (no averaging, docs/scattering-options.md §1.4), then with a stride of
    # 3 (not a power of two) in the local mode.
    put("params", "ok_scat1d_T0.bin", s1[:13] + b"\x02" + s1[14:])
    put("params", "bad_scat1d_stride3.bin", s1[:17] + special(0) + s1[20:])
    # Scattering2D (double) with pre_pad: J=2, 16×16, L=4 (input 24×24 or so, the padded size).
    put("params", "ok_scat2d_pre_pad.bin", bytes([1]) + typ(2) + typ(16) + typ(16) + typ(4) + typ(2)
        + typ(0) + typ(0) + b"\x00\x01")
    # Scattering2D (float): J=2, 16×16, L=4, order 2, threads 1, lanes 0.
    s2 = bytes([9]) + typ(2) + typ(16) + typ(16) + typ(4) + typ(2) + typ(0) + typ(0) + b"\x00"
    put("params", "ok_scat2d.bin", s2)
    put("params", "bad_scat2d_L0.bin", bytes([9]) + typ(2) + typ(16) + typ(16) + typ(0) + typ(2) + typ(0) + typ(0) + b"\x00")
    # STFT (double): hann, L=16, hop 8, nfft 16, n=100.
    st = (bytes([2, 1]) + typ(16) + typ(0) + b"\x01" + b"\x00" + typ(8) + typ(16) + b"\x01\x01" + typ(100)
          + typ(0) + b"\x00")
    put("params", "ok_stft.bin", st)
    put("params", "bad_stft_hop0.bin", bytes([2, 1]) + typ(16) + typ(0) + b"\x01" + b"\x00" + typ(0) + typ(16) + b"\x01\x01" + typ(100) + typ(0) + b"\x00")
    # CWT (float): morlet, 2 frequencies, default ρ, Q=8, zeros, N=128.
    cw = (bytes([11, 0, 2]) + typ(30000) + typ(10000) + b"\x01" + typ(16384) + b"\x01" + typ(128) + typ(0)
          + b"\x00")
    put("params", "ok_cwt.bin", cw)
    put("params", "bad_cwt_no_freq.bin", bytes([11, 0, 0]) + b"\x01" + typ(16384) + b"\x01" + typ(128) + typ(0) + b"\x00")
    # Filter banks: 1-D J=3, N=64, Q=(1,1), T=0, then morlet_1d/gauss_1d(64, 0.25, 0.05).
    fb1 = [typ(3), b"\x01", typ(64), typ(0), typ(0), typ(0), typ(32768), typ(6554), typ(64)]
    put("params", "ok_filters_1d.bin", bytes([4]) + b"".join(fb1))
    put("params", "bad_filters_1d_N_size_max.bin", bytes([4]) + b"".join(fb1[:2] + [special(2)] + fb1[3:]))
    put("params", "bad_morlet_1d_n_2pow40.bin", bytes([4]) + b"".join(fb1[:-1] + [special(7)]))
    # 2-D J=2, 16×16, L=4, then morlet_2d(32, 32, σ=0.8, θ≈0, ξ≈3π/4, slant 0.5).
    fb2 = [typ(2), b"\x00", typ(16), typ(16), typ(3), typ(32), typ(32), typ(6554), typ(32768), typ(51472),
           typ(32768)]
    put("params", "ok_filters_2d.bin", bytes([4]) + b"".join(fb2))
    put("params", "bad_morlet_2d_Mp_2pow40.bin", bytes([4]) + b"".join(fb2[:5] + [special(7)] + fb2[6:]))
    # Heisenberg: gauss L=64, σ=8 on a 512 grid at offset 224; morlet xi=0.25, σ=0.02 on a
    # power-of-two grid for 1000 samples.
    hb = [b"\x00", typ(64), typ(5243), typ(512), typ(224), typ(32768), typ(13107), typ(320), b"\x01", b"\x00"]
    put("params", "ok_heisenberg.bin", bytes([5]) + b"".join(hb))
    put("params", "bad_heisenberg_sigma_1e-300.bin", bytes([5]) + b"".join(hb[:6] + [special(10), typ(65535)] + hb[8:]))
    put("params", "bad_heisenberg_window_2pow40.bin", bytes([5]) + b"".join([hb[0], special(6), hb[2], special(7), typ(0)] + hb[5:]))
    # Deformations: a random diffeomorphism on 16×16, max gradient 0.3, 4 modes; dilation and
    # random fields with absurd sizes or modes.
    de = [typ(16), typ(16), b"\x02", typ(19661), b"\x07\x00", typ(3), typ(2)]
    put("params", "ok_deform.bin", bytes([6]) + b"".join(de))
    put("params", "bad_dilation_M_size_max.bin", bytes([6]) + special(2) + typ(16) + b"\x00" + typ(30000) + typ(0))
    put("params", "bad_diffeo_modes_1025.bin", bytes([6]) + b"".join(de[:5] + [special(2)] + de[6:]))


if __name__ == "__main__":
    npy_seeds()
    wav_seeds()
    png_seeds()
    idx_seeds()
    mnist_json_seeds()
    params_seeds()
