"""A small ray caster for the figures: capsules, ellipsoids and blobs (ellipsoids melted into
one smooth shape, for the trunk) resting on a mat on the floor, seen through a pinhole camera,
toon-shaded in the flat palette and outlined.

Every pixel's ray is intersected with every primitive whose screen box holds it (numpy,
vectorised over the pixels; analytically, or for a blob by sphere tracing its distance field),
the nearest hit wins; the floor and the mat (a thin box)
are whatever no body part hides. The contact shadow is a darkening of the floor by how close
the body comes to it (a distance field of the primitives, sampled on a 1-cm grid), so a part
lying on the mat sits in a soft shadow and a part held up in the air casts almost none.
Outlines follow the edges between body parts (and depth jumps within one part), as an
illustrator's ink would. Nothing is random: the same scene gives the same pixels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Vec = tuple[float, float, float]
RGB = tuple[int, int, int]
Array = NDArray[np.float64]

FLOOR_GROUP, MAT_GROUP, EDGE_GROUP = 0, 1, 2  # group ids below the body's


@dataclass(frozen=True)
class Material:
    """A flat colour lit in two tones; `hair` paints the crown of an ellipsoid (a head)."""

    color: RGB
    hair: RGB | None = None


@dataclass(frozen=True)
class Capsule:
    """A segment `a`–`b` thickened by `radius` (a sphere when a == b)."""

    a: Vec
    b: Vec
    radius: float
    material: str
    group: str

    def lowest(self) -> float:
        return min(self.a[2], self.b[2]) - self.radius

    def bounds(self) -> tuple[Array, Array]:
        a, b = np.array(self.a), np.array(self.b)
        return np.minimum(a, b) - self.radius, np.maximum(a, b) + self.radius


@dataclass(frozen=True)
class Ellipsoid:
    """An ellipsoid at `center` whose semi-axes are `radii` along the orthonormal `axes`
    (for a head: axes[0] points to the crown, axes[2] to the face)."""

    center: Vec
    axes: tuple[Vec, Vec, Vec]
    radii: Vec
    material: str
    group: str

    def lowest(self) -> float:
        # The support height of an ellipsoid along -z: sqrt(sum((r_i * axis_i.z)^2)).
        extent = math.sqrt(
            sum((r * ax[2]) ** 2 for r, ax in zip(self.radii, self.axes, strict=True))
        )
        return self.center[2] - extent

    def bounds(self) -> tuple[Array, Array]:
        m = np.array(self.axes) * np.array(self.radii)[:, None]
        extent = np.sqrt((m**2).sum(axis=0))
        c = np.array(self.center)
        return c - extent, c + extent


@dataclass(frozen=True)
class Blob:
    """Ellipsoids melted into one smooth shape (a smooth union that rounds every seam within
    `blend` metres): a trunk whose chest, waist and hips flow into each other. Ray-cast by
    sphere tracing its distance field, which the contact shadow reads too."""

    parts: tuple[Ellipsoid, ...]
    blend: float
    material: str
    group: str

    def lowest(self) -> float:
        # Each part's lowest point, lowered by how far the union swells below it there.
        best = math.inf
        for part in self.parts:
            z = part.lowest()
            point = np.array([[part.center[0], part.center[1], z]])
            best = min(best, z + min(0.0, float(signed_distance(self, point)[0])))
        return best

    def bounds(self) -> tuple[Array, Array]:
        lo = np.min([p.bounds()[0] for p in self.parts], axis=0)
        hi = np.max([p.bounds()[1] for p in self.parts], axis=0)
        return lo - self.blend / 4, hi + self.blend / 4


Primitive = Capsule | Ellipsoid | Blob


@dataclass(frozen=True)
class Mat:
    """The mat: a box `size` (x, y) centred at `center` (x, y), its top at z = 0."""

    center: tuple[float, float]
    size: tuple[float, float]
    thickness: float = 0.015


@dataclass(frozen=True)
class Camera:
    """A pinhole camera at `eye` looking at `target`; `lens` is the focal length as a share of
    the image width; `shift` moves the picture (shares of the width and height) so the body
    can sit off centre, clear of the labels."""

    eye: Vec
    target: Vec
    lens: float
    shift: tuple[float, float] = (0.0, 0.0)

    def basis(self) -> tuple[Array, Array, Array]:
        forward = np.array(self.target) - np.array(self.eye)
        forward /= np.linalg.norm(forward)
        right = np.cross(forward, (0.0, 0.0, 1.0))
        right /= np.linalg.norm(right)
        up = np.cross(right, forward)
        return forward, right, up

    def project(self, points: Sequence[Vec] | Array, width: int, height: int) -> Array:
        """Picture coordinates (x right, y down, in pixels) of 3D points."""
        forward, right, up = self.basis()
        rel = np.asarray(points, dtype=np.float64) - np.array(self.eye)
        depth = rel @ forward
        f = self.lens * width
        x = width / 2 + self.shift[0] * width + f * (rel @ right) / depth
        y = height / 2 + self.shift[1] * height - f * (rel @ up) / depth
        return np.stack([x, y], axis=-1)


@dataclass(frozen=True)
class Look:
    """What a scene is drawn with besides its shapes: palette, light and shadow."""

    background: RGB
    mat: RGB
    mat_edge: RGB
    outline: RGB
    shadow: RGB  # the darkest the floor gets under a resting body
    light: Vec = (-0.35, -0.45, 1.0)
    shade: float = 0.8  # the shaded tone: this share of the lit colour
    shadow_reach: float = 0.11  # m: how far from the body the contact shadow fades out
    gap: float = 2.8  # a light gap behind a part that passes in front of another: outlines wide


@dataclass
class Frame:
    """A rendered scene at the supersampled size: the picture, each pixel's group (0 floor,
    1 mat top, 2 the mat's edge, 3… the body's groups in `groups` order) and its shadow."""

    image: NDArray[np.uint8]
    group: NDArray[np.int16]
    shadow: NDArray[np.uint8]  # 0 none … 255 the darkest
    groups: tuple[str, ...]


def render(
    primitives: Sequence[Primitive],
    materials: dict[str, Material],
    camera: Camera,
    mat: Mat,
    look: Look,
    width: int,
    height: int,
    halos: Sequence[tuple[str, str]] = (),
) -> Frame:
    """Ray-cast the scene at `width` × `height` (already the supersampled size); `halos`:
    (part, attached) groups: a light ring around the part, on everything but the part it is
    attached to (a hand resting on a knee, which would otherwise melt into the leg)."""
    forward, right, up = camera.basis()
    f = camera.lens * width
    cx = width / 2 + camera.shift[0] * width
    cy = height / 2 + camera.shift[1] * height
    xs = (np.arange(width) + 0.5 - cx).astype(np.float32)
    ys = (np.arange(height) + 0.5 - cy).astype(np.float32)
    rays = (
        forward.astype(np.float32) * np.float32(f)
        + xs[None, :, None] * right.astype(np.float32)
        - ys[:, None, None] * up.astype(np.float32)
    )
    rays /= np.linalg.norm(rays, axis=2, keepdims=True)
    eye = np.array(camera.eye)

    depth = np.full((height, width), np.inf, dtype=np.float32)
    normal = np.zeros((height, width, 3), dtype=np.float32)
    part = np.full((height, width), -1, dtype=np.int16)
    for index, prim in enumerate(primitives):
        box = _screen_box(prim, camera, width, height)
        if box is None:
            continue
        x0, y0, x1, y1 = box
        rd = rays[y0:y1, x0:x1]
        if isinstance(prim, Capsule):
            t, n = _hit_capsule(eye, rd, prim)
        elif isinstance(prim, Blob):
            t, n = _hit_blob(eye, rd, prim)
        else:
            t, n = _hit_ellipsoid(eye, rd, prim)
        window = depth[y0:y1, x0:x1]
        nearer = t < window
        window[nearer] = t[nearer]
        normal[y0:y1, x0:x1][nearer] = n[nearer]
        part[y0:y1, x0:x1][nearer] = index

    # The floor and the mat: the mat's top at z = 0, the floor at -thickness.
    t_top = _plane_t(eye, rays, 0.0)
    top = eye + rays * t_top[..., None]
    on_mat = (np.abs(top[..., 0] - mat.center[0]) <= mat.size[0] / 2) & (
        np.abs(top[..., 1] - mat.center[1]) <= mat.size[1] / 2
    )
    t_floor = _plane_t(eye, rays, -mat.thickness)
    t_ground = np.where(on_mat, t_top, t_floor)
    ground_group = np.where(on_mat, MAT_GROUP, FLOOR_GROUP).astype(np.int16)
    t_edge = _mat_edge_t(eye, rays, mat)
    edge = (t_edge < t_ground) & ~on_mat
    t_ground = np.where(edge, t_edge, t_ground)
    ground_group[edge] = EDGE_GROUP
    ground = eye + rays * t_ground[..., None]

    groups = tuple(dict.fromkeys(p.group for p in primitives))
    group_of = np.array([3 + groups.index(p.group) for p in primitives], dtype=np.int16)
    body = (part >= 0) & (depth < t_ground)
    group = np.where(body, group_of[np.maximum(part, 0)], ground_group).astype(np.int16)

    shadow = _shadow(primitives, mat, look, ground[..., 0], ground[..., 1])
    shadow = np.where(body, 0.0, shadow).astype(np.float32)
    image = np.empty((height, width, 3), dtype=np.float32)
    image[:] = look.background
    image[group == MAT_GROUP] = look.mat
    image[group == EDGE_GROUP] = look.mat_edge
    dark = np.array(look.shadow, dtype=np.float32)
    image = image + (dark - image) * shadow[..., None]

    light = np.array(look.light) / np.linalg.norm(look.light)
    lit = normal @ light.astype(np.float32)
    tone = np.clip((lit + 0.05) / 0.1, 0.0, 1.0)  # 0 shaded … 1 lit, a narrow soft step
    names = list(materials)
    mat_index = np.array([names.index(p.material) for p in primitives], dtype=np.int16)
    which = np.where(body, mat_index[np.maximum(part, 0)], -1)
    for m, name in enumerate(names):
        sel = which == m
        if not sel.any():
            continue
        material = materials[name]
        base = np.broadcast_to(np.array(material.color, dtype=np.float32), (int(sel.sum()), 3))
        if material.hair is not None:
            base = _hair(base, material.hair, normal[sel], part[sel], primitives)
        k = tone[sel][:, None]
        image[sel] = base * (look.shade + (1 - look.shade) * k)

    radius = max(1.0, width / 560)
    ink, front = _outline(group, depth, body, radius)
    light = _gap(front, depth, body, radius * look.gap)
    for name, attached in halos:
        if name in groups:
            ringed = group == 3 + groups.index(name)
            kept = ringed | (group == 3 + groups.index(attached))
            light |= _grown(ringed, radius * (1 + look.gap)) & ~kept
    image[light & ~ink] = look.background
    image[ink] = look.outline
    return Frame(
        np.clip(image + 0.5, 0, 255).astype(np.uint8),
        group,
        np.clip(shadow * 255 + 0.5, 0, 255).astype(np.uint8),
        groups,
    )


def _screen_box(
    prim: Primitive, camera: Camera, width: int, height: int
) -> tuple[int, int, int, int] | None:
    lo, hi = prim.bounds()
    corners = np.array(
        [[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])]
    )
    xy = camera.project(corners, width, height)
    x0, y0 = np.floor(xy.min(axis=0)).astype(int) - 2
    x1, y1 = np.ceil(xy.max(axis=0)).astype(int) + 2
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, width), min(y1, height)
    if x0 >= x1 or y0 >= y1:
        return None
    return int(x0), int(y0), int(x1), int(y1)


def _hit_capsule(eye: Array, rd: NDArray[np.float32], c: Capsule) -> tuple[Array, Array]:
    """Distance along each ray to the capsule (inf where it misses) and the normal there."""
    a, b, r = np.array(c.a), np.array(c.b), c.radius
    ba, oa = b - a, eye - a
    baba, baoa, oaoa = ba @ ba, ba @ oa, oa @ oa
    bard, rdoa = rd @ ba.astype(np.float32), rd @ oa.astype(np.float32)
    t = np.full(rd.shape[:2], np.inf)
    if baba > 1e-12:
        k2 = baba - bard * bard
        k1 = baba * rdoa - baoa * bard
        k0 = baba * oaoa - baoa * baoa - r * r * baba
        h = k1 * k1 - k2 * k0
        ok = (h >= 0) & (k2 > 1e-12)
        tt = np.where(ok, (-k1 - np.sqrt(np.maximum(h, 0))) / np.where(ok, k2, 1), np.inf)
        y = baoa + np.where(ok, tt, 0.0) * bard
        side = ok & (y > 0) & (y < baba)
        t = np.where(side, tt, t)
        # Otherwise the ray may meet one of the two end spheres.
        for end, use in ((a, ok & ~side & (y <= 0)), (b, ok & ~side & (y >= baba))):
            t = np.where(use, np.minimum(t, _sphere_t(eye, rd, end, r)), t)
    else:
        t = _sphere_t(eye, rd, a, r)
    t = np.where(t > 0, t, np.inf)
    p = eye + rd * np.where(np.isfinite(t), t, 0)[..., None]
    s = np.clip(((p - a) @ ba) / max(baba, 1e-12), 0.0, 1.0)
    n = (p - a - s[..., None] * ba) / r
    return t, n


def _sphere_t(eye: Array, rd: NDArray[np.float32], center: Array, r: float) -> Array:
    oc = eye - center
    b = rd @ oc.astype(np.float32)
    h = b * b - (oc @ oc - r * r)
    return np.where(h >= 0, -b - np.sqrt(np.maximum(h, 0)), np.inf)


def _hit_ellipsoid(eye: Array, rd: NDArray[np.float32], e: Ellipsoid) -> tuple[Array, Array]:
    axes, radii = np.array(e.axes), np.array(e.radii)
    ro = (axes @ (eye - np.array(e.center))) / radii
    rl = (rd @ axes.T.astype(np.float32)) / radii.astype(np.float32)
    a = (rl * rl).sum(axis=2)
    b = rl @ ro.astype(np.float32)
    c = ro @ ro - 1.0
    h = b * b - a * c
    t = np.where(h >= 0, (-b - np.sqrt(np.maximum(h, 0))) / a, np.inf)
    t = np.where(t > 0, t, np.inf)
    q = ro + rl * np.where(np.isfinite(t), t, 0)[..., None]
    n = (q / radii) @ axes
    n /= np.maximum(np.linalg.norm(n, axis=2, keepdims=True), 1e-9)
    return t, n


def _hit_blob(eye: Array, rd: NDArray[np.float32], blob: Blob) -> tuple[Array, Array]:
    """Sphere tracing: from where each ray enters the first of the blob's parts (each swollen
    by the most the blend adds), step by the distance field until the surface is within
    0.3 mm, or the ray has left every part."""
    shape = rd.shape[:2]
    dirs = rd.reshape(-1, 3).astype(np.float64)
    near = np.full(len(dirs), np.inf)
    far = np.full(len(dirs), -np.inf)
    for part in blob.parts:
        grow = blob.blend / 4
        radii = (part.radii[0] + grow, part.radii[1] + grow, part.radii[2] + grow)
        swollen = Ellipsoid(part.center, part.axes, radii, "", "")
        enter, leave = _ellipsoid_span(eye, dirs, swollen)
        near, far = np.minimum(near, enter), np.maximum(far, leave)
    t_all = np.full(len(dirs), np.inf)
    active = np.nonzero(np.isfinite(near) & (far > 0))[0]
    t = np.maximum(near[active], 0.0)
    for _ in range(64):
        if not len(active):
            break
        d = signed_distance(blob, eye + dirs[active] * t[:, None])
        hit = d < 3e-4
        t_all[active[hit]] = t[hit]
        t = t + np.maximum(d, 0.0) * 0.95
        keep = ~hit & (t < far[active])
        active, t = active[keep], t[keep]
    n = np.zeros_like(dirs)
    found = np.nonzero(np.isfinite(t_all))[0]
    points = eye + dirs[found] * t_all[found, None]
    for axis in range(3):
        step = np.zeros(3)
        step[axis] = 1e-3
        n[found, axis] = signed_distance(blob, points + step) - signed_distance(blob, points - step)
    n[found] /= np.maximum(np.sqrt((n[found] ** 2).sum(axis=1, keepdims=True)), 1e-9)
    return t_all.reshape(shape), n.reshape(*shape, 3)


def _ellipsoid_span(eye: Array, dirs: Array, e: Ellipsoid) -> tuple[Array, Array]:
    """Where each ray enters and leaves the ellipsoid (inf, -inf where it misses)."""
    axes, radii = np.array(e.axes), np.array(e.radii)
    ro = (axes @ (eye - np.array(e.center))) / radii
    rl = (dirs @ axes.T) / radii
    a = (rl * rl).sum(axis=1)
    b = rl @ ro
    c = ro @ ro - 1.0
    h = b * b - a * c
    root = np.sqrt(np.maximum(h, 0))
    miss = h < 0
    return np.where(miss, np.inf, (-b - root) / a), np.where(miss, -np.inf, (-b + root) / a)


def _plane_t(eye: Array, rays: NDArray[np.float32], z: float) -> NDArray[np.float32]:
    down = rays[..., 2]
    return np.where(down < -1e-6, (z - eye[2]) / np.minimum(down, -1e-6), np.inf).astype(np.float32)


def _mat_edge_t(eye: Array, rays: NDArray[np.float32], mat: Mat) -> NDArray[np.float32]:
    """The nearest hit on the mat's four sides (its thickness), inf where none."""
    best = np.full(rays.shape[:2], np.inf, dtype=np.float32)
    half = (mat.size[0] / 2, mat.size[1] / 2)
    for axis in (0, 1):
        for sign in (-1.0, 1.0):
            plane = mat.center[axis] + sign * half[axis]
            if (eye[axis] - plane) * sign <= 0:  # the camera sees only the sides facing it
                continue
            d = rays[..., axis]
            t = np.where(np.abs(d) > 1e-6, (plane - eye[axis]) / np.where(d == 0, 1, d), np.inf)
            p = eye + rays * t[..., None]
            other = 1 - axis
            inside = (
                (t > 0)
                & (np.abs(p[..., other] - mat.center[other]) <= half[other])
                & (p[..., 2] <= 0)
                & (p[..., 2] >= -mat.thickness)
            )
            best = np.where(inside & (t < best), t, best).astype(np.float32)
    return best


SHADOW_CELL = 0.01  # m: the contact shadow's grid


def _shadow(
    primitives: Sequence[Primitive],
    mat: Mat,
    look: Look,
    x: NDArray[np.float32],
    y: NDArray[np.float32],
) -> NDArray[np.float32]:
    """How dark the floor is at each (x, y): the contact shadow, sampled on a grid."""
    lo = np.min([p.bounds()[0][:2] for p in primitives], axis=0) - look.shadow_reach - 0.05
    hi = np.max([p.bounds()[1][:2] for p in primitives], axis=0) + look.shadow_reach + 0.05
    nx, ny = (np.ceil((hi - lo) / SHADOW_CELL).astype(int) + 1).tolist()
    gx, gy = np.meshgrid(lo[0] + np.arange(nx) * SHADOW_CELL, lo[1] + np.arange(ny) * SHADOW_CELL)
    grid = shadow_at(primitives, look, gx.ravel(), gy.ravel()).reshape(ny, nx)
    # Bilinear lookup; outside the grid there is no shadow.
    fx, fy = (x - lo[0]) / SHADOW_CELL, (y - lo[1]) / SHADOW_CELL
    inside = (
        np.isfinite(fx) & np.isfinite(fy) & (fx >= 0) & (fy >= 0) & (fx < nx - 1) & (fy < ny - 1)
    )
    fx, fy = np.where(inside, fx, 0), np.where(inside, fy, 0)
    ix, iy = fx.astype(int), fy.astype(int)
    wx, wy = fx - ix, fy - iy
    value = (
        grid[iy, ix] * (1 - wx) * (1 - wy)
        + grid[iy, ix + 1] * wx * (1 - wy)
        + grid[iy + 1, ix] * (1 - wx) * wy
        + grid[iy + 1, ix + 1] * wx * wy
    )
    return np.where(inside, value, 0.0).astype(np.float32)


def shadow_at(primitives: Sequence[Primitive], look: Look, x: Array, y: Array) -> Array:
    """The contact shadow (0 none … 1 darkest) at floor points: each part darkens the floor the
    nearer it comes, fading out at `look.shadow_reach`, and a part high above adds a faint
    patch straight below it."""
    points = np.stack([x, y, np.zeros_like(x)], axis=1)
    light = np.ones(len(points))
    for prim in primitives:
        d = signed_distance(prim, points)
        near = np.clip(1 - d / look.shadow_reach, 0, 1) ** 2
        light *= 1 - 0.85 * near
    return 1 - light


def signed_distance(prim: Primitive, points: Array) -> Array:
    """The distance from each point to the primitive's surface (negative inside)."""
    if isinstance(prim, Blob):
        k = prim.blend
        d = signed_distance(prim.parts[0], points)
        for part in prim.parts[1:]:  # the quadratic smooth minimum, part by part
            e = signed_distance(part, points)
            h = np.maximum(k - np.abs(d - e), 0.0) / k
            d = np.minimum(d, e) - h * h * k / 4
        return d
    if isinstance(prim, Capsule):
        a, b = np.array(prim.a), np.array(prim.b)
        ba = b - a
        s = np.clip(((points - a) @ ba) / max(ba @ ba, 1e-12), 0, 1)
        return np.asarray(np.linalg.norm(points - a - s[:, None] * ba, axis=1) - prim.radius)
    axes, radii = np.array(prim.axes), np.array(prim.radii)
    q = ((points - np.array(prim.center)) @ axes.T) / radii
    k0 = np.sqrt(np.einsum("ij,ij->i", q, q))
    q /= radii
    k1 = np.sqrt(np.einsum("ij,ij->i", q, q))
    return np.asarray(k0 * (k0 - 1) / np.maximum(k1, 1e-9))


def _hair(
    base: NDArray[np.float32],
    hair: RGB,
    normals: NDArray[np.float32],
    parts: NDArray[np.int16],
    primitives: Sequence[Primitive],
) -> NDArray[np.float32]:
    """Hair over the crown and the back of a head ellipsoid; the face stays skin."""
    out = np.array(base)
    for index in np.unique(parts):
        prim = primitives[int(index)]
        if not isinstance(prim, Ellipsoid):
            continue
        crown, face = np.array(prim.axes[0]), np.array(prim.axes[2])
        sel = parts == index
        n = normals[sel]
        up, front = n @ crown.astype(np.float32), n @ face.astype(np.float32)
        is_hair = (up > 0.25) | ((front < -0.2) & (up > -0.55))
        chunk = out[sel]
        chunk[is_hair] = hair
        out[sel] = chunk
    return out


def _outline(
    group: NDArray[np.int16], depth: NDArray[np.float32], body: NDArray[np.bool_], radius: float
) -> tuple[NDArray[np.bool_], NDArray[np.float32]]:
    """Ink where a body part meets anything else, or where the depth jumps inside one part
    (a shin folded over its thigh); `radius` px wide on each side of the edge. Also returns,
    along each edge where one part passes in front of another, the front part's depth there
    (inf elsewhere), for the gap behind it."""
    h, w = group.shape
    far = np.where(body, depth, np.float32(1e3))
    ink = np.zeros((h, w), dtype=bool)
    front = np.full((h, w), np.inf, dtype=np.float32)
    r = math.ceil(radius)
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if (dx, dy) == (0, 0) or dx * dx + dy * dy > radius * radius + 0.5:
                continue
            ys0, ys1 = max(0, dy), h + min(0, dy)
            xs0, xs1 = max(0, dx), w + min(0, dx)
            here = (slice(ys0 - dy, ys1 - dy), slice(xs0 - dx, xs1 - dx))
            there = (slice(ys0, ys1), slice(xs0, xs1))
            g0, g1 = group[here], group[there]
            b0, b1 = body[here], body[there]
            d0, d1 = far[here], far[there]
            jump = np.abs(d0 - d1) > 0.06 * np.minimum(d0, d1) / 3.0
            edge = (b0 | b1) & ((g0 != g1) | (b0 & b1 & jump))
            ink[here] |= edge
            # Here is a part in front of another one there: a limb over the trunk or a leg.
            over = b0 & b1 & (d1 - d0 > GAP_DEPTH) & ((g0 != g1) | jump)
            front[here] = np.where(over, np.minimum(front[here], d0), front[here])
    return ink, front


GAP_DEPTH = 0.04  # m: a part this much nearer than the one beside it passes in front of it


def _grown(mask: NDArray[np.bool_], width: float) -> NDArray[np.bool_]:
    """`mask` grown by `width` px in every direction (a round structuring element)."""
    h, w = mask.shape
    grown = mask.copy()
    r = math.ceil(width)
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dx * dx + dy * dy > width * width:
                continue
            ys0, ys1 = max(0, dy), h + min(0, dy)
            xs0, xs1 = max(0, dx), w + min(0, dx)
            grown[ys0:ys1, xs0:xs1] |= mask[ys0 - dy : ys1 - dy, xs0 - dx : xs1 - dx]
    return grown


def _gap(
    front: NDArray[np.float32], depth: NDArray[np.float32], body: NDArray[np.bool_], width: float
) -> NDArray[np.bool_]:
    """The body's pixels within `width` px of an edge where a nearer part passes in front, on
    the far side: painted light, so two limbs that overlap read as two, one behind the other."""
    near = front.copy()
    r = math.ceil(width)
    for axis in (0, 1):  # a square min filter, one axis at a time
        spread = near.copy()
        for step in range(1, r + 1):
            for sign in (1, -1):
                shifted = np.roll(near, sign * step, axis=axis)
                np.minimum(spread, shifted, out=spread)
        near = spread
    return np.asarray(body & (depth > near + GAP_DEPTH))
