"""A user's generated samples from files: a folder of images or an array file.

These are the inputs the peer tools (pytorch-fid, torch-fidelity, clean-fid) take, read into
the tensor the protocols score: float32 in [0, 1], shape (N, C, H, W) for images, (N, D) for
points. Every file is untrusted input: an array file is read with ``allow_pickle=False``,
and an image that Pillow cannot decode is named in the error.

- :func:`read_image_folder`: PNG and JPEG files found recursively, in sorted path order,
  each of the expected size; grey for one-channel datasets, RGB for three.
- :func:`read_array_file`: ``.npy``, or ``.npz`` holding one array; uint8 in [0, 255] or
  float in [0, 1]; NCHW or NHWC (named in the error where both would fit).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch

from gan_bench.validation import as_float_array, as_images, native_array

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
PIL_MODES = {1: "L", 3: "RGB"}  # channels -> the Pillow mode an image must have


class SampleFileError(ValueError):
    """A sample folder or array file that cannot be read as the dataset's samples."""


def read_image_folder(folder: str | os.PathLike, shape: tuple[int, ...]) -> torch.Tensor:
    """Every PNG/JPEG under ``folder`` (recursive, sorted by path) as (N, C, H, W) in [0, 1].

    ``shape`` is the dataset's (C, H, W). Each image must be H x W and in the mode of C
    channels ("L" for 1, "RGB" for 3; a palette or grey+alpha image is refused rather than
    converted): the error names the first file that is not, and what it holds.
    """
    from PIL import Image, UnidentifiedImageError

    root = Path(folder)
    if len(shape) != 3:
        raise SampleFileError(f"--images: the dataset holds points of shape {shape}, not images")
    channels, height, width = shape
    if not root.is_dir():
        raise SampleFileError(f"--images {root}: expected a folder of PNG or JPEG images, found no folder")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise SampleFileError(
            f"--images {root}: expected PNG or JPEG files ({', '.join(IMAGE_SUFFIXES)}, searched "
            "recursively), found none"
        )
    want = PIL_MODES[channels]
    images = np.empty((len(files), height, width, channels), dtype=np.uint8)
    for i, path in enumerate(files):
        try:
            with Image.open(path) as image:
                image.load()
                mode, size = image.mode, image.size
                pixels = np.asarray(image)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
            raise SampleFileError(f"--images: cannot read {path} as an image: {err}") from err
        if size != (width, height):
            raise SampleFileError(
                f"--images: {path} is {size[0]}x{size[1]}; expected {width}x{height} images for this dataset"
            )
        if mode != want:
            other = "RGB" if want == "L" else "grey (L)"
            raise SampleFileError(
                f"--images: {path} has Pillow mode {mode!r}; expected {want!r} ({channels}-channel "
                f"images for this dataset){' - the folder mixes modes' if i else ''}; convert it "
                f"(for instance Image.convert({want!r})) rather than mix in {other} images"
            )
        images[i] = pixels.reshape(height, width, channels)
    return torch.from_numpy(images).permute(0, 3, 1, 2).float().div_(255.0).contiguous()


def read_array_file(path: str | os.PathLike, shape: tuple[int, ...]) -> torch.Tensor:
    """The samples in a ``.npy`` or single-array ``.npz`` file as the dataset's tensor.

    Images: uint8 in [0, 255] or float in [0, 1], laid out NCHW or NHWC for ``shape`` =
    (C, H, W); points: (N, D) floats.
    """
    file = Path(path)
    if not file.is_file():
        raise SampleFileError(f"--array {file}: expected a .npy or .npz file, found none")
    if file.suffix.lower() not in (".npy", ".npz"):
        raise SampleFileError(f"--array {file}: expected a .npy or .npz file, got a '{file.suffix}' file")
    try:
        loaded = np.load(file, allow_pickle=False)
    except (ValueError, OSError, EOFError) as err:
        raise SampleFileError(f"--array {file}: cannot read it as a numpy array file: {err}") from err
    if isinstance(loaded, np.lib.npyio.NpzFile):
        with loaded:
            keys = list(loaded.keys())
            if len(keys) != 1:
                held = ", ".join(keys) or "none"
                raise SampleFileError(
                    f"--array {file}: expected an .npz holding one array, got {len(keys)}: {held}"
                )
            array = loaded[keys[0]]
    else:
        array = loaded
    return samples_from_array(array, shape, f"--array {file}")


def samples_from_array(array: np.ndarray | torch.Tensor, shape: tuple[int, ...], name: str) -> torch.Tensor:
    """An in-memory array of samples (numpy or torch) as the dataset's tensor; see
    :func:`read_array_file` for what is accepted."""
    if isinstance(array, torch.Tensor):
        array = array.detach().cpu().numpy()
    if not isinstance(array, np.ndarray):
        raise SampleFileError(f"{name}: expected a numpy array or torch tensor, got {type(array).__name__}")
    if len(shape) != 3:
        points = as_float_array(array, name, ndim=2)
        if points.shape[1:] != shape:
            raise SampleFileError(f"{name}: expected points of shape (N, {shape[0]}), got {points.shape}")
        return torch.from_numpy(native_array(points)).float()
    c, h, w = shape
    nchw, nhwc = array.shape[1:] == (c, h, w), array.shape[1:] == (h, w, c)
    if array.ndim != 4 or not (nchw or nhwc):
        raise SampleFileError(
            f"{name}: expected images shaped (N, {c}, {h}, {w}) (NCHW) or (N, {h}, {w}, {c}) (NHWC), "
            f"got {array.shape}"
        )
    if nchw and nhwc:
        raise SampleFileError(
            f"{name}: shape {array.shape} reads both as NCHW and as NHWC; save it as (N, {c}, {h}, {w}) "
            "with distinct axes, or transpose it"
        )
    if nhwc:
        array = array.transpose(0, 3, 1, 2)
    try:
        return as_images(np.ascontiguousarray(array), name)
    except (TypeError, ValueError) as err:
        raise SampleFileError(str(err)) from err
