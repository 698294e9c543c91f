"""The photos of a recensement (issue 15): the bytes of an upload in, the checked and
processed copies out, or a refusal with a French message. No file, no network, no database.

- Only PNG and JPEG, recognised by their content (Pillow, restricted to these two decoders),
  never by the file name, which this module does not even receive.
- At most TAILLE_MAX bytes, checked before anything is decoded.
- At most PIXELS_MAX pixels (the dimensions declared in the header): Pillow's
  decompression-bomb guard is set to that number, its warning made an error, and both its
  warning and its error become a refusal; the same limit is checked again here, so the
  refusal does not depend on the warnings filter being in place.
- The whole image is decoded (a truncated or corrupt file is refused), the EXIF orientation
  is applied, then only pixels are kept: EXIF (GPS included), XMP, comments, text chunks,
  ICC profile (colours converted to sRGB first) are all left behind.
- Two copies, both JPEG: COTE_GRANDE pixels on the long side for viewing, COTE_VIGNETTE for
  lists. JPEG for both, PNG uploads included: the uploads are photographs of objets, which
  JPEG stores 5 to 10 times smaller than PNG at no visible loss; one format for every copy
  keeps display and storage simple; transparency (rare in a photo) is laid on white.
  The original is not kept: it is the copy that holds the GPS position.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageFile, ImageOps

TAILLE_MAX = 10 * 1024 * 1024          # 10 Mo, as Streamlit's server.maxUploadSize counts them
# The largest photos a phone takes at full resolution: 50-megapixel sensors (8160 x 6144 =
# 50.1 Mpx) fit; beyond, an image under 10 Mo is almost certainly made to exhaust memory
# (a PNG of flat colour declaring 100,000 x 100,000 pixels weighs a few kilobytes).
PIXELS_MAX = 52_000_000
COTE_GRANDE = 1600
COTE_VIGNETTE = 320
QUALITE_GRANDE = 85
QUALITE_VIGNETTE = 80
FORMATS = ("JPEG", "PNG")
# A JPEG carrying more pictures after the first (MPO: depth or portrait shots of some
# phones) is a JPEG: its first picture is the photo, the others are left behind.
FORMATS_LUS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG"}
TYPE_MIME = "image/jpeg"               # of both copies

# Deliberate, for the whole process: Pillow warns above MAX_IMAGE_PIXELS and raises above
# twice that; the warning is made an error so that nothing over the limit is ever decoded.
Image.MAX_IMAGE_PIXELS = PIXELS_MAX
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)
# Truncated files are refused, never completed with grey (Pillow's default, stated here).
ImageFile.LOAD_TRUNCATED_IMAGES = False

_SRGB = ImageCms.createProfile("sRGB")


class PhotoRefusee(ValueError):
    """A photo that cannot be accepted; str() is the French message for the person."""


@dataclass(frozen=True)
class Copie:
    contenu: bytes
    largeur: int
    hauteur: int
    type_mime: str = TYPE_MIME


@dataclass(frozen=True)
class PhotoTraitee:
    grande: Copie
    vignette: Copie
    format_origine: str                # "JPEG" or "PNG", as read from the content
    largeur_origine: int               # after the EXIF orientation
    hauteur_origine: int
    octets_origine: int
    empreinte: str                     # SHA-256 of the upload: the same file sent twice is known


def _mo(octets: int) -> str:
    return f"{octets / (1024 * 1024):.1f}".replace(".", ",") + " Mo"


def verifier_taille(octets: int) -> None:
    """Refuses an empty or oversized upload (usable before the bytes are read)."""
    if octets == 0:
        raise PhotoRefusee("Le fichier est vide : choisissez une photo au format JPEG ou PNG.")
    if octets > TAILLE_MAX:
        raise PhotoRefusee(f"La photo pèse {_mo(octets)} : elle ne doit pas dépasser {_mo(TAILLE_MAX)}. "
                           "Reprenez-la en qualité normale ou réduisez-la avant de l'envoyer.")


def _trop_grande(largeur: int, hauteur: int) -> PhotoRefusee:
    limite = f"{PIXELS_MAX // 1_000_000} millions"
    taille = (f"{largeur} × {hauteur} pixels, plus que les {limite} acceptés" if largeur and hauteur
              else f"plus de {limite} de pixels, la limite acceptée")
    return PhotoRefusee(f"L'image déclare {taille} : elle n'a pas été ouverte. "
                        "Envoyez la photo telle que l'appareil l'a prise.")


def _pas_une_image() -> PhotoRefusee:
    return PhotoRefusee("Ce fichier n'est pas une photo JPEG ou PNG (son contenu a été vérifié, "
                        "pas seulement son nom). Choisissez une photo prise avec un téléphone "
                        "ou un appareil photo.")


def _abimee() -> PhotoRefusee:
    return PhotoRefusee("Cette photo est abîmée ou incomplète (envoi interrompu ?) et ne peut pas être lue. "
                        "Envoyez-la de nouveau.")


def _ouvrir(contenu: bytes) -> Image.Image:
    """Opens with the JPEG and PNG decoders only; the bomb guard refuses on the header alone."""
    try:
        image = Image.open(io.BytesIO(contenu), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _trop_grande(*_dimensions_declarees(contenu)) from None
    except Image.UnidentifiedImageError:
        raise _pas_une_image() from None
    except Exception:                  # any decoder failure on hostile input is a refusal
        raise _abimee() from None
    if image.format not in FORMATS_LUS:
        raise _pas_une_image()
    if image.width * image.height > PIXELS_MAX:
        raise _trop_grande(image.width, image.height)
    return image


def _dimensions_declarees(contenu: bytes) -> tuple[int, int]:
    """The size an oversized image declares, for the message: Pillow refused it before
    telling, so the PNG or JPEG header is read here (no pixel is decoded); (0, 0) if unread."""
    if contenu[:8] == b"\x89PNG\r\n\x1a\n" and contenu[12:16] == b"IHDR":
        return int.from_bytes(contenu[16:20], "big"), int.from_bytes(contenu[20:24], "big")
    i = 2
    while i + 9 < len(contenu) and contenu[i] == 0xFF:   # JPEG markers up to a start of frame
        marqueur, longueur = contenu[i + 1], int.from_bytes(contenu[i + 2:i + 4], "big")
        if 0xC0 <= marqueur <= 0xCF and marqueur not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(contenu[i + 7:i + 9], "big"), int.from_bytes(contenu[i + 5:i + 7], "big")
        i += 2 + longueur
    return 0, 0


def _decoder(contenu: bytes) -> tuple[Image.Image, tuple[int, int]]:
    """verify() (PNG: every chunk's checksum), then a full decode on a fresh open (a JPEG is
    only known whole once decoded). A JPEG is decoded at the smallest scale libjpeg offers
    that still covers COTE_GRANDE: a 4000 x 3000 photo is read at 2000 x 1500. Returns the
    image and the size its header declares."""
    image = _ouvrir(contenu)
    try:
        image.verify()
    except Exception:
        raise _abimee() from None
    image = _ouvrir(contenu)
    declaree = image.size
    try:
        if FORMATS_LUS[image.format] == "JPEG":
            echelle = COTE_GRANDE / max(image.size)
            if echelle < 1:
                image.draft("RGB", (max(1, round(image.width * echelle)), max(1, round(image.height * echelle))))
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _trop_grande(image.width, image.height) from None
    except Exception:
        raise _abimee() from None
    return image, declaree


def _orienter(image: Image.Image) -> Image.Image:
    """Applies the EXIF orientation; an unreadable EXIF block leaves the pixels as they are."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        return image


def _pixels_srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB and nothing else: the ICC profile, when there is one, is applied
    (an iPhone's Display P3 would otherwise look dull, an Adobe CMYK file wrong), transparency
    is laid on white."""
    icc = image.info.get("icc_profile")
    sortie_icc = {"RGB": "RGB", "CMYK": "RGB", "L": "RGB", "RGBA": "RGBA"}.get(image.mode)
    if icc and sortie_icc:
        try:
            image = ImageCms.profileToProfile(image, io.BytesIO(icc), _SRGB, outputMode=sortie_icc)
        except Exception:              # an unreadable or mismatched profile: the pixels as they are
            pass
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        fond = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(fond, image)
    if image.mode.startswith("I"):     # 16-bit grey PNG: scaled to 8 bits, not clipped to white
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if image.mode != "RGB":
        image = image.convert("RGB")
    propre = image.copy()
    propre.info = {}                   # EXIF, GPS, XMP, comments, text chunks, ICC: none carried on
    return propre


def _reduire(image: Image.Image, cote: int) -> Image.Image:
    """The long side brought to `cote` pixels at most (never enlarged)."""
    echelle = cote / max(image.size)
    if echelle >= 1:
        return image
    taille = (max(1, round(image.width * echelle)), max(1, round(image.height * echelle)))
    reduite = image.resize(taille, Image.Resampling.LANCZOS, reducing_gap=3.0)
    reduite.info = {}
    return reduite


def _jpeg(image: Image.Image, qualite: int) -> Copie:
    sortie = io.BytesIO()
    # No exif=, icc_profile=, comment= : the copy holds pixels only.
    image.save(sortie, "JPEG", quality=qualite, optimize=True, progressive=True)
    return Copie(contenu=sortie.getvalue(), largeur=image.width, hauteur=image.height)


def traiter(contenu: bytes) -> PhotoTraitee:
    """The upload checked and turned into its two copies; PhotoRefusee otherwise."""
    verifier_taille(len(contenu))
    image, (largeur, hauteur) = _decoder(contenu)
    format_origine = FORMATS_LUS[image.format]
    avant = image.size
    image = _orienter(image)
    if image.size != avant:            # a quarter turn: the declared sides swap too
        largeur, hauteur = hauteur, largeur
    pixels = _pixels_srgb(image)
    grande = _reduire(pixels, COTE_GRANDE)
    vignette = _reduire(grande, COTE_VIGNETTE)
    return PhotoTraitee(grande=_jpeg(grande, QUALITE_GRANDE), vignette=_jpeg(vignette, QUALITE_VIGNETTE),
                        format_origine=format_origine, largeur_origine=largeur, hauteur_origine=hauteur,
                        octets_origine=len(contenu), empreinte=hashlib.sha256(contenu).hexdigest())
