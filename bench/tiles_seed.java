// Puts a file into the embedded object store the way the application does (content + ETag sidecar), so
// tile-render can serve it. Run with the tile-render jar on the class path:
//   java -cp geocrop-tile-render-*-all.jar bench/tiles_seed.java <storage root> <cog> <year>
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectKeys;
import java.nio.file.Path;

public class TilesSeed {
    public static void main(String[] args) {
        try (LocalObjectStore store = new LocalObjectStore(Path.of(args[0]), ObjectCreatedListener.NONE)) {
            store.ensureBuckets();
            String key = ObjectKeys.baseline(Integer.parseInt(args[2]), "dw-label.tif");
            store.put(Bucket.BASELINES, key, Path.of(args[1]), "image/tiff");
            System.out.println(Bucket.BASELINES.bucketName() + "/" + key);
        }
    }
}
