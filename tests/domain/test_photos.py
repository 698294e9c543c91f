"""The photo pipeline (dashboard/domain/photos.py): every refusal, the orientation, the
metadata left behind, the sizes of the copies. Images are made here with Pillow and numpy."""
from __future__ import annotations

import inspect
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageCms, PngImagePlugin

from dashboard.domain import photos
from dashboard.domain.photos import PhotoRefusee

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(largeur=400, hauteur=300, graine=0) -> Image.Image:
    """A photograph-like image: a gradient with noise (compresses like a real photo)."""
    rng = np.random.default_rng(graine)
    pixels = np.empty((hauteur, largeur, 3), dtype=np.uint8)
    pixels[..., 0] = np.linspace(0, 200, largeur, dtype=np.uint8)[None, :]
    pixels[..., 1] = np.linspace(0, 200, hauteur, dtype=np.uint8)[:, None]
    pixels[..., 2] = 100
    bruit = rng.integers(0, 40, (128, 128, 3), dtype=np.uint8)
    pixels += np.tile(bruit, (hauteur // 128 + 1, largeur // 128 + 1, 1))[:hauteur, :largeur]
    return Image.fromarray(pixels, "RGB")


def jpeg(image: Image.Image, **options) -> bytes:
    sortie = io.BytesIO()
    image.save(sortie, "JPEG", quality=90, **options)
    return sortie.getvalue()


def png(image: Image.Image, **options) -> bytes:
    sortie = io.BytesIO()
    image.save(sortie, "PNG", **options)
    return sortie.getvalue()


def ouvrir(contenu: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(contenu))
    image.load()
    return image


def segments_jpeg(contenu: bytes) -> list[tuple[int, bytes]]:
    """The JPEG's marker segments before the image data: (marker, payload)."""
    assert contenu[:2] == b"\xff\xd8"
    segments, i = [], 2
    while i < len(contenu):
        assert contenu[i] == 0xFF
        marqueur = contenu[i + 1]
        longueur = int.from_bytes(contenu[i + 2:i + 4], "big")
        segments.append((marqueur, contenu[i + 4:i + 2 + longueur]))
        if marqueur == 0xDA:           # start of scan: entropy-coded data follows
            break
        i += 2 + longueur
    return segments


def png_declarant(largeur: int, hauteur: int, lignes: int | None = None) -> bytes:
    """A PNG of black RGB pixels declaring largeur x hauteur. With all its rows it is a real
    decompression bomb (flat colour compresses about 1000 to 1); `lignes` keeps only that many."""
    def chunk(genre: bytes, donnees: bytes) -> bytes:
        return struct.pack(">I", len(donnees)) + genre + donnees + struct.pack(">I", zlib.crc32(genre + donnees))

    ligne = b"\x00" * (1 + 3 * largeur)   # filter byte + black pixels
    if lignes is not None:
        idat = zlib.compress(ligne * lignes)
    else:
        # Blocks of 100 rows compressed once: after a full flush a deflate block depends on
        # nothing before it, so the same bytes repeat; the checksum is computed over every row.
        assert hauteur % 100 == 0
        bloc, compresseur, adler = ligne * 100, zlib.compressobj(9), 1
        premier = compresseur.compress(bloc) + compresseur.flush(zlib.Z_FULL_FLUSH)
        suivant = compresseur.compress(bloc) + compresseur.flush(zlib.Z_FULL_FLUSH)
        for _ in range(hauteur // 100):
            adler = zlib.adler32(bloc, adler)
        idat = premier + suivant * (hauteur // 100 - 1) + compresseur.flush()[:-4] + adler.to_bytes(4, "big")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", largeur, hauteur, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def jpeg_declarant(largeur: int, hauteur: int) -> bytes:
    """A small real JPEG whose start-of-frame is rewritten to declare largeur x hauteur."""
    contenu = bytearray(jpeg(photo(64, 48)))
    i = 2
    while True:
        marqueur, longueur = contenu[i + 1], int.from_bytes(contenu[i + 2:i + 4], "big")
        if marqueur in (0xC0, 0xC2):
            contenu[i + 5:i + 7] = hauteur.to_bytes(2, "big")
            contenu[i + 7:i + 9] = largeur.to_bytes(2, "big")
            return bytes(contenu)
        i += 2 + longueur


# --- refusals ------------------------------------------------------------------------------------

def test_a_20_mb_photo_is_refused_on_its_size_before_anything_is_decoded():
    contenu = jpeg(photo())
    lourde = contenu + b"\x00" * (20 * 1024 * 1024 - len(contenu))   # a real JPEG, padded after its end
    assert len(lourde) == 20 * 1024 * 1024
    with pytest.raises(PhotoRefusee, match=r"La photo pèse 20,0 Mo : elle ne doit pas dépasser 10,0 Mo"):
        photos.traiter(lourde)


def test_the_limit_is_10_mo_exactly():
    contenu = jpeg(photo())
    juste = contenu + b"\x00" * (photos.TAILLE_MAX - len(contenu))
    assert photos.traiter(juste).grande.largeur == 400
    with pytest.raises(PhotoRefusee, match="ne doit pas dépasser"):
        photos.traiter(juste + b"\x00")


def test_an_empty_file_is_refused():
    with pytest.raises(PhotoRefusee, match="Le fichier est vide"):
        photos.traiter(b"")


PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def test_a_pdf_renamed_jpg_is_refused_by_its_content():
    # traiter() has no file name to be fooled by: only the bytes.
    assert list(inspect.signature(photos.traiter).parameters) == ["contenu"]
    with pytest.raises(PhotoRefusee, match="n'est pas une photo JPEG ou PNG"):
        photos.traiter(PDF)


@pytest.mark.parametrize("format_", ["GIF", "BMP", "TIFF", "WEBP"])
def test_other_image_formats_are_refused(format_):
    sortie = io.BytesIO()
    photo(64, 48).save(sortie, format_)
    with pytest.raises(PhotoRefusee, match="n'est pas une photo JPEG ou PNG"):
        photos.traiter(sortie.getvalue())


def test_an_svg_with_a_script_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(PhotoRefusee, match="n'est pas une photo JPEG ou PNG"):
        photos.traiter(svg)


def test_a_truncated_jpeg_is_refused():
    contenu = jpeg(photo(800, 600))
    with pytest.raises(PhotoRefusee, match="abîmée ou incomplète"):
        photos.traiter(contenu[:len(contenu) // 2])


def _brouiller_huffman(contenu: bytes) -> bytes:
    debut, longueur = next((i, len(p) + 2) for i, (m, p) in _positions(contenu) if m == 0xC4)
    rng = np.random.default_rng(1)
    return contenu[:debut + 5] + rng.integers(0, 256, longueur - 3, dtype=np.uint8).tobytes() \
        + contenu[debut + 2 + longueur:]


def _positions(contenu: bytes):
    i = 2
    for marqueur, donnees in segments_jpeg(contenu):
        yield i, (marqueur, donnees)
        i += 4 + len(donnees)


@pytest.mark.parametrize("abimer", [
    _brouiller_huffman,                                            # its decoding tables scrambled
    lambda c: c[:len(c) // 2] + b"\x00" * (len(c) - len(c) // 2),  # second half lost (zeros)
    lambda c: c[:next(i for i, (m, p) in _positions(c) if m == 0xDA) + 14],  # headers, no image data
], ids=["huffman", "zeros", "sans-donnees"])
def test_a_corrupt_jpeg_is_refused(abimer):
    # Noise inside the compressed data that libjpeg can still decode (into a garbled picture,
    # as a browser would show it) is accepted: only what cannot be decoded is refused.
    contenu = jpeg(photo(800, 600))
    with pytest.raises(PhotoRefusee, match="abîmée ou incomplète"):
        photos.traiter(abimer(contenu))


def test_a_png_with_a_wrong_checksum_is_refused():
    contenu = bytearray(png(photo(64, 48)))
    contenu[-20] ^= 0xFF                # inside the last IDAT chunk
    with pytest.raises(PhotoRefusee, match="abîmée ou incomplète"):
        photos.traiter(bytes(contenu))


@pytest.fixture(scope="module")
def bombe_png() -> bytes:
    """12,000 x 12,000 black pixels (432 MB decoded) in well under a megabyte."""
    return png_declarant(12_000, 12_000)


def test_a_png_decompression_bomb_is_refused_without_being_decoded(bombe_png):
    assert len(bombe_png) < 1024 * 1024
    with pytest.raises(PhotoRefusee, match=r"L'image déclare 12000 × 12000 pixels, plus que les 52 millions"):
        photos.traiter(bombe_png)


def test_an_image_just_over_the_pixel_limit_is_refused_too():
    # 8,000 x 8,000 = 64 Mpx: above the limit but below twice it, where Pillow only warns.
    with pytest.raises(PhotoRefusee, match=r"L'image déclare 8000 × 8000 pixels"):
        photos.traiter(png_declarant(8_000, 8_000, lignes=1))


def test_the_refusal_does_not_depend_on_the_warnings_filter(recwarn):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as if someone had silenced every warning
        with pytest.raises(PhotoRefusee, match="8000 × 8000"):
            photos.traiter(png_declarant(8_000, 8_000, lignes=1))


def test_a_jpeg_declaring_huge_dimensions_is_refused():
    with pytest.raises(PhotoRefusee, match=r"L'image déclare 60000 × 50000 pixels"):
        photos.traiter(jpeg_declarant(60_000, 50_000))


def test_pillow_guard_is_set_to_the_limit():
    assert Image.MAX_IMAGE_PIXELS == photos.PIXELS_MAX


# --- what is kept --------------------------------------------------------------------------------

def exif_orientation_gps(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Fabricant"          # Make
    exif[0x0131] = "<script>alert(1)</script>"   # Software
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)})
    return exif


def moitie_rouge_moitie_bleue(largeur=4000, hauteur=3000) -> Image.Image:
    """Left half red, right half blue, as the sensor recorded it."""
    image = Image.new("RGB", (largeur, hauteur), (220, 20, 20))
    image.paste((20, 20, 220), (largeur // 2, 0, largeur, hauteur))
    return image


def test_exif_orientation_is_applied_and_every_metadata_dropped():
    contenu = jpeg(moitie_rouge_moitie_bleue(), exif=exif_orientation_gps(6), comment=b"ma maison, 12 rue X")
    entree = Image.open(io.BytesIO(contenu))
    assert entree.getexif().get_ifd(GPS_IFD)[2] == (48.0, 51.0, 24.0)   # the input does carry GPS
    assert b"ma maison" in contenu

    resultat = photos.traiter(contenu)

    # Orientation 6: turn a quarter clockwise; the left (red) half ends on top.
    assert (resultat.largeur_origine, resultat.hauteur_origine) == (3000, 4000)
    grande = ouvrir(resultat.grande.contenu)
    assert grande.size == (1200, 1600)
    rouge, bleu = grande.getpixel((600, 100)), grande.getpixel((600, 1500))
    assert rouge[0] > 180 and rouge[2] < 60, rouge
    assert bleu[2] > 180 and bleu[0] < 60, bleu
    for copie in (resultat.grande, resultat.vignette):
        image = ouvrir(copie.contenu)
        assert image.format == "JPEG"
        assert not image.getexif()
        assert set(image.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive",
                                   "progression", "adobe", "adobe_transform"}, image.info
        marqueurs = {m for m, _ in segments_jpeg(copie.contenu)}
        assert not marqueurs & {0xE1, 0xE2, 0xFE}, marqueurs   # no EXIF/XMP, ICC or comment segment
        for texte in (b"Exif", b"Fabricant", b"script", b"ma maison"):
            assert texte not in copie.contenu


@pytest.mark.parametrize("orientation, taille", [(1, (1600, 1200)), (3, (1600, 1200)), (8, (1200, 1600))])
def test_other_orientations(orientation, taille):
    resultat = photos.traiter(jpeg(moitie_rouge_moitie_bleue(), exif=exif_orientation_gps(orientation)))
    assert (resultat.grande.largeur, resultat.grande.hauteur) == taille
    assert ouvrir(resultat.grande.contenu).size == taille


def test_the_copies_sizes_for_a_phone_photo():
    resultat = photos.traiter(jpeg(photo(4000, 3000)))
    assert resultat.format_origine == "JPEG"
    assert (resultat.largeur_origine, resultat.hauteur_origine) == (4000, 3000)
    assert ouvrir(resultat.grande.contenu).size == (1600, 1200) == (resultat.grande.largeur, resultat.grande.hauteur)
    assert ouvrir(resultat.vignette.contenu).size == (320, 240) == (resultat.vignette.largeur,
                                                                    resultat.vignette.hauteur)
    assert resultat.grande.type_mime == resultat.vignette.type_mime == "image/jpeg"
    assert len(resultat.vignette.contenu) < len(resultat.grande.contenu) < 1024 * 1024


def test_a_small_photo_is_not_enlarged():
    resultat = photos.traiter(jpeg(photo(800, 500)))
    assert ouvrir(resultat.grande.contenu).size == (800, 500)
    assert ouvrir(resultat.vignette.contenu).size == (320, 200)


def test_a_tiny_photo_keeps_its_size_in_both_copies():
    resultat = photos.traiter(png(photo(200, 100)))
    assert ouvrir(resultat.vignette.contenu).size == (200, 100)


def test_a_png_with_a_script_in_its_text_becomes_a_clean_jpeg():
    # Whatever the upload was called (say "<script>alert(1)</script>.png"), the name never
    # reaches the pipeline; the text chunks inside the PNG are left behind.
    infos = PngImagePlugin.PngInfo()
    infos.add_text("Title", "<script>alert(1)</script>")
    infos.add_itxt("Description", "**gras** <img src=x onerror=alert(1)>")
    resultat = photos.traiter(png(photo(2400, 1800), pnginfo=infos))
    assert resultat.format_origine == "PNG"
    assert ouvrir(resultat.grande.contenu).format == "JPEG"
    assert (resultat.grande.largeur, resultat.grande.hauteur) == (1600, 1200)
    for copie in (resultat.grande, resultat.vignette):
        assert b"script" not in copie.contenu and b"onerror" not in copie.contenu


def test_transparency_is_laid_on_white():
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 50, 100))
    grande = ouvrir(photos.traiter(png(image)).grande.contenu)
    assert grande.mode == "RGB"
    assert grande.getpixel((90, 50)) >= (245, 245, 245)
    assert grande.getpixel((10, 50))[0] > 180


def test_a_16_bit_grey_png_is_scaled_not_clipped():
    contenu = png(Image.fromarray(np.full((40, 40), 32768, dtype=np.uint16)))
    valeur = ouvrir(photos.traiter(contenu).grande.contenu).getpixel((20, 20))
    assert all(120 <= v <= 136 for v in valeur), valeur


def test_a_cmyk_jpeg_becomes_rgb():
    grande = ouvrir(photos.traiter(jpeg(photo(300, 200).convert("CMYK"))).grande.contenu)
    assert grande.mode == "RGB" and grande.size == (300, 200)


def test_an_icc_profile_is_applied_then_dropped():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()  # any valid, non-sRGB profile
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for profil in (icc, srgb):
        contenu = jpeg(photo(300, 200), icc_profile=profil)
        assert Image.open(io.BytesIO(contenu)).info.get("icc_profile") == profil
        grande = photos.traiter(contenu).grande.contenu
        assert "icc_profile" not in ouvrir(grande).info


def test_the_same_upload_has_the_same_fingerprint():
    contenu = jpeg(photo())
    assert photos.traiter(contenu).empreinte == photos.traiter(contenu).empreinte
    assert photos.traiter(contenu).empreinte != photos.traiter(jpeg(photo(graine=2))).empreinte


def test_a_jpeg_with_a_second_picture_keeps_the_first():
    # Some phones add a depth or portrait picture after the photo (MPO); it is still a JPEG.
    sortie = io.BytesIO()
    moitie_rouge_moitie_bleue(2000, 1500).save(sortie, "MPO", save_all=True,
                                              append_images=[Image.new("RGB", (2000, 1500), (0, 255, 0))])
    assert Image.open(io.BytesIO(sortie.getvalue())).format == "MPO"
    resultat = photos.traiter(sortie.getvalue())
    assert resultat.format_origine == "JPEG"
    grande = ouvrir(resultat.grande.contenu)
    assert grande.size == (1600, 1200)
    assert grande.getpixel((100, 600))[0] > 180 and grande.getpixel((1500, 600))[2] > 180
