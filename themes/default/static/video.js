// Click-to-load video: nothing from the video host loads until the reader presses play. The
// thumbnail is a link to the video on its host, so without JavaScript it still plays there.
for (const link of document.querySelectorAll("a.video-thumb[data-embed]")) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    const frame = document.createElement("iframe");
    frame.src = link.dataset.embed;
    frame.title = link.dataset.title || "Video";
    frame.className = "video-frame";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    link.replaceWith(frame);
    frame.focus();
  });
}
